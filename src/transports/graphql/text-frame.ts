import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/** `ws` internals this relies on; checked on every call, with `ws.send` as the fallback. */
type WsInternals = { _socket?: Socket; _sender?: { _state?: number } };
const SENDER_IDLE = 0;

/** The TCP socket under a `ws` WebSocket (null before it is attached or after it is gone). */
export const rawSocketOf = (ws: WebSocket): Socket | null => (ws as unknown as WsInternals)._socket ?? null;

/**
 * Sends `head + body + tail` as one unmasked WebSocket text frame (RFC 6455: server frames are never masked),
 * built in a single buffer and written with one `socket.write`. This is the fan-out hot path: `ws.send` would
 * allocate a header and an options object and cork/writev per message, for every subscriber of a group.
 * Falls back to `ws.send` whenever the sender is busy (a queued frame must not be overtaken).
 */
export const sendTextFrame = (ws: WebSocket, head: Buffer, body: Buffer, tail: Buffer) => {
  const length = head.length + body.length + tail.length;
  const internals = ws as unknown as WsInternals;
  const socket = internals._socket;
  if (!socket || internals._sender?._state !== SENDER_IDLE) {
    ws.send(Buffer.concat([head, body, tail], length), { binary: false });
    return;
  }
  const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81; // FIN + text opcode
  if (headerLength === 2) frame[1] = length;
  else if (headerLength === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  head.copy(frame, headerLength);
  body.copy(frame, headerLength + head.length);
  tail.copy(frame, headerLength + head.length + body.length);
  socket.write(frame);
};
