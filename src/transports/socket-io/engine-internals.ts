import type { Socket as TcpSocket } from 'node:net';

/**
 * The parts of an engine.io connection the fan-out reads that engine.io does not type: the `ws` WebSocket of its
 * websocket transport (and the TCP socket under it), and its write buffer. Read defensively: a connection on
 * HTTP long-polling has no WebSocket, and a missing field reads as nothing rather than throwing.
 */
interface EngineConnection {
  transport?: { name?: string; writable?: boolean; socket?: { bufferedAmount?: number; _socket?: TcpSocket } };
  writeBuffer?: unknown[];
  flush?: () => void;
}

/** The TCP socket under an engine.io connection on WebSocket; null on long-polling. */
export const tcpSocketOf = (conn: unknown): TcpSocket | null => {
  const transport = (conn as EngineConnection).transport;
  return transport?.name === 'websocket' ? (transport.socket?._socket ?? null) : null;
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
