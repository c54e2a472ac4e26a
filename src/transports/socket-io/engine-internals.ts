import type { Socket as TcpSocket } from 'node:net';
import { idleRawSocketOf, rawSocketOf } from '../websocket-frame';

/**
 * The parts of an engine.io connection the fan-out reads that engine.io does not type: the `ws` WebSocket of its
 * websocket transport (and the TCP socket under it), and its write buffer. Read defensively: a connection on
 * HTTP long-polling has no WebSocket, and a missing field reads as nothing rather than throwing.
 */
interface EngineConnection {
  readyState?: string;
  transport?: { name?: string; writable?: boolean; socket?: { bufferedAmount?: number } };
  writeBuffer?: unknown[];
  flush?: () => void;
}

/** The TCP socket under an engine.io connection on WebSocket; null on long-polling. */
export const tcpSocketOf = (conn: unknown): TcpSocket | null => {
  const transport = (conn as EngineConnection).transport;
  return transport?.name === 'websocket' ? rawSocketOf(transport.socket) : null;
};

/**
 * The TCP socket under an engine.io connection when a frame written to it now goes out exactly where engine.io
 * would have put it: open, on WebSocket, no write of engine.io's in progress, no packet waiting in its buffer and
 * none in the WebSocket's sender. Null otherwise (the caller goes through engine.io).
 */
export const idleTcpSocketOf = (conn: unknown): TcpSocket | null => {
  const { readyState, transport, writeBuffer } = conn as EngineConnection;
  if (readyState !== 'open' || transport?.name !== 'websocket' || !transport.writable || (writeBuffer?.length ?? 0) > 0) return null;
  return idleRawSocketOf(transport.socket);
};

/**
 * Bytes waiting for the client: what the WebSocket has not written out, plus the packets engine.io holds while
 * that write is pending, estimated at `packetBytes` each (counting each packet's size on every event would cost
 * work per waiting packet; they are mostly copies of the same broadcasts).
 */
export const bufferedBytesOf = (conn: unknown, packetBytes: number): number => {
  const { transport, writeBuffer } = conn as EngineConnection;
  return (transport?.socket?.bufferedAmount ?? 0) + (writeBuffer?.length ?? 0) * packetBytes;
};

/**
 * Makes engine.io queue the packets written to a connection until the returned function runs, then send them in
 * one flush (one frame each, one write when its TCP socket is held). Without it, engine.io sends the first packet
 * at once and the others only when that write completes: a second write per socket, and one callback per socket
 * outside any delivery slice. Returns null when the connection is not ready to write (it queues on its own).
 */
export const holdEngineWrites = (conn: unknown): (() => void) | null => {
  const engine = conn as EngineConnection;
  const transport = engine.transport;
  if (!transport?.writable || typeof engine.flush !== 'function') return null;
  transport.writable = false;
  return () => {
    transport.writable = true;
    engine.flush!();
  };
};
