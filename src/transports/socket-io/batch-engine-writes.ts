import type { Socket as TcpSocket } from 'node:net';
import type { RealtimeServer } from './types';
import { tcpSocketOf } from './engine-internals';

/**
 * While a WebSocket write is pending, engine.io keeps the next packets in its write buffer and sends them together
 * when the write completes, but as one WebSocket frame and one `write` each. This holds (`cork`) the TCP socket
 * while engine.io flushes two packets or more, so they leave in one `writev`: a client that fell a few events
 * behind costs one syscall to catch up, not one per event. Listens to engine.io's documented `flush` event (one
 * listener for every connection, nothing per socket). Returns the function that stops it.
 */
export const batchEngineWrites = (io: RealtimeServer): (() => void) => {
  const corked = new Set<TcpSocket>();
  const release = () => {
    for (const tcp of corked) tcp.uncork();
    corked.clear();
  };
  const onFlush = (conn: unknown, writeBuffer: unknown[]) => {
    if (writeBuffer.length < 2) return;
    const tcp = tcpSocketOf(conn);
    if (!tcp || corked.has(tcp)) return;
    tcp.cork();
    // The flush writes synchronously after this event: uncork once it is done, before any I/O.
    if (corked.size === 0) process.nextTick(release);
    corked.add(tcp);
  };
  io.engine.on('flush', onFlush);
  return () => {
    io.engine.off('flush', onFlush);
    release();
  };
};
