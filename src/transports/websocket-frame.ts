import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/** `ws` internals this relies on; checked on every call, with `ws.send` as the fallback. */
type WsInternals = { readyState?: number; _socket?: Socket; _sender?: { _state?: number } };
const SENDER_IDLE = 0;
const OPEN = 1;

/** The TCP socket under a `ws` WebSocket (null before it is attached or after it is gone). */
export const rawSocketOf = (ws: unknown): Socket | null => (ws as WsInternals | undefined)?._socket ?? null;

/**
 * The TCP socket under `ws` when a frame may be written straight to it: open, and nothing queued in its sender
 * (a queued frame, being compressed for instance, must not be overtaken). Null otherwise: use `ws.send`.
 */
export const idleRawSocketOf = (ws: unknown): Socket | null => {
  const internals = ws as WsInternals | undefined;
  if (internals?.readyState !== OPEN || internals._sender?._state !== SENDER_IDLE) return null;
  const socket = internals._socket;
  return socket && !socket.destroyed ? socket : null;
};

/**
 * `parts` as one unmasked WebSocket text frame (RFC 6455: server frames are never masked), in a single buffer:
 * what `ws.send` would write, without its per-message header allocation, options object and cork/writev.
 */
export const textFrame = (...parts: readonly Buffer[]): Buffer => {
  let length = 0;
  for (const part of parts) length += part.length;
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
  let offset = headerLength;
  for (const part of parts) offset += part.copy(frame, offset);
  return frame;
};

/**
 * Sends `head + body + tail` as one text frame with one `socket.write`. This is the fan-out hot path of graphql-ws:
 * every subscriber of a group gets the group's body between its own head and tail. Falls back to `ws.send` whenever
 * the frame may not go straight to the socket.
 */
export const sendTextFrame = (ws: WebSocket, head: Buffer, body: Buffer, tail: Buffer) => {
  const socket = idleRawSocketOf(ws);
  if (socket) socket.write(textFrame(head, body, tail));
  else ws.send(Buffer.concat([head, body, tail]), { binary: false });
};
