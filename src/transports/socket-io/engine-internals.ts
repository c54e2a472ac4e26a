import type { Socket as TcpSocket } from 'node:net';

/**
 * The parts of an engine.io connection the fan-out reads that engine.io does not type: the `ws` WebSocket of its
 * websocket transport (and the TCP socket under it), and its write buffer. Read defensively: a connection on
 * HTTP long-polling has no WebSocket, and a missing field reads as nothing rather than throwing.
 */
interface EngineConnection {
  transport?: { name?: string; socket?: { bufferedAmount?: number; _socket?: TcpSocket } };
  writeBuffer?: unknown[];
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
