import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { createDeliverySlices } from '../../src/delivery/delivery-slices';
import { createRoomBroadcast } from '../../src/transports/socket-io/room-broadcast';
import type { RealtimeServer, RealtimeSocket } from '../../src/transports/socket-io/types';

/**
 * The room broadcast against a real socket.io server and real socket.io-client clients: what a WebSocket client gets
 * written straight to its TCP socket must be exactly what socket.io would have sent, in order with what socket.io
 * itself sends; long-polling clients and binary payloads go through socket.io.
 */
describe('room broadcast (real socket.io server and clients)', () => {
  let http: HttpServer;
  let io: RealtimeServer;
  let url: string;
  const clients: ClientSocket[] = [];
  const slow: string[] = [];
  let rooms: ReturnType<typeof createRoomBroadcast>;

  const client = async (transports: string[], room: string) => {
    const socket = connect(url, { transports, reconnection: false, forceNew: true });
    clients.push(socket);
    const received: unknown[][] = [];
    socket.onAny((...args) => received.push(args));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const server = io.sockets.sockets.get(socket.id!) as RealtimeSocket;
    void server.join(room);
    return { socket, server, received };
  };

  const until = async (condition: () => boolean) => {
    const deadline = Date.now() + 5000;
    while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(condition()).toBe(true);
  };

  beforeAll(async () => {
    http = createServer();
    io = new Server(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    rooms = createRoomBroadcast({ io, slices: createDeliverySlices({ sliceMs: 10 }), maxBufferedBytes: 4 * 2 ** 20, onSlow: (socket) => slow.push(socket.id) });
  });
  afterAll(async () => {
    for (const socket of clients) socket.disconnect();
    io.disconnectSockets(true);
    io.engine.close();
    await new Promise((resolve) => http.close(resolve));
  });

  it('delivers a run, in order and intact, to WebSocket and long-polling clients alike', async () => {
    const ws = await client(['websocket'], 'mixed');
    const polling = await client(['polling'], 'mixed');
    // Message packets engine.io flushed, per connection.
    const flushed = new Map<string, number>();
    io.engine.on('flush', (conn: { id: string }, buffer: { type: string }[]) =>
      flushed.set(conn.id, (flushed.get(conn.id) ?? 0) + buffer.filter((packet) => packet.type === 'message').length),
    );
    const run = [
      { eventName: 'article:create', args: [{ id: 1, title: 'é ✓ "quoted" \n line' }, 'cursor-1'] },
      { eventName: 'article:update', args: [{ id: 1, body: 'x'.repeat(70_000) }, 'cursor-2'] },
      { eventName: 'article:delete', args: [{ id: 1 }, 'cursor-3'] },
    ];
    expect(await rooms.broadcast('mixed', run)).toBe(2);
    const expected = run.map(({ eventName, args }) => [eventName, ...args]);
    await until(() => ws.received.length === 3 && polling.received.length === 3);
    expect(ws.received).toEqual(expected);
    expect(polling.received).toEqual(expected);
    // Only the long-polling client's packets went through engine.io.
    expect(flushed.get((ws.server.conn as unknown as { id: string }).id) ?? 0).toBe(0);
    expect(flushed.get((polling.server.conn as unknown as { id: string }).id)).toBe(3);
    ws.socket.disconnect();
    polling.socket.disconnect();
  });

  it("keeps order with what socket.io sends to the same socket, and tells onAnyOutgoing listeners", async () => {
    const ws = await client(['websocket'], 'ordered');
    const outgoing: unknown[] = [];
    ws.server.onAnyOutgoing((...args) => outgoing.push(args[0]));
    ws.server.emit('before', 1);
    await rooms.broadcast('ordered', [{ eventName: 'article:create', args: [{ id: 2 }] }]);
    ws.server.emit('after', 2);
    await rooms.broadcast('ordered', [{ eventName: 'article:update', args: [{ id: 2 }] }]);
    await until(() => ws.received.length === 4);
    expect(ws.received.map((args) => args[0])).toEqual(['before', 'article:create', 'after', 'article:update']);
    expect(outgoing).toEqual(['before', 'article:create', 'after', 'article:update']);
    ws.socket.disconnect();
  });

  it('sends binary payloads through socket.io (they are not one text frame)', async () => {
    const ws = await client(['websocket'], 'binary');
    await rooms.broadcast('binary', [{ eventName: 'file', args: [{ bytes: Buffer.from([1, 2, 3]) }] }]);
    await until(() => ws.received.length === 1);
    const [name, payload] = ws.received[0] as [string, { bytes: ArrayBuffer | Buffer }];
    expect(name).toBe('file');
    expect([...new Uint8Array(payload.bytes as ArrayBuffer)]).toEqual([1, 2, 3]);
    ws.socket.disconnect();
  });

  it('skips a socket holding more than its budget and reports it as slow', async () => {
    const ws = await client(['websocket'], 'stalled');
    const tiny = createRoomBroadcast({ io, slices: createDeliverySlices({ sliceMs: 10 }), maxBufferedBytes: 10, onSlow: (socket) => slow.push(socket.id) });
    // Pretend its client stopped reading: 1 KB already waiting in the socket.
    const conn = ws.server.conn as unknown as { transport: { socket: { bufferedAmount: number } } };
    Object.defineProperty(conn.transport.socket, 'bufferedAmount', { value: 1024, configurable: true });
    expect(await tiny.broadcast('stalled', [{ eventName: 'article:create', args: [{ id: 3 }] }])).toBe(0);
    expect(slow).toEqual([ws.server.id]);
    ws.socket.disconnect();
  });

  it('with permessage-deflate negotiated, uncompressed frames written straight to the socket still arrive intact and in order', async () => {
    const deflateHttp = createServer();
    const deflateIo: RealtimeServer = new Server(deflateHttp, { perMessageDeflate: { threshold: 0 } });
    await new Promise<void>((resolve) => deflateHttp.listen(0, '127.0.0.1', resolve));
    const socket = connect(`http://127.0.0.1:${(deflateHttp.address() as AddressInfo).port}`, { transports: ['websocket'], reconnection: false, forceNew: true });
    const received: unknown[][] = [];
    socket.onAny((...args) => received.push(args));
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const server = deflateIo.sockets.sockets.get(socket.id!) as RealtimeSocket;
    void server.join('room');
    const ws = (server.conn as unknown as { transport: { socket: { _extensions: Record<string, unknown> } } }).transport.socket;
    expect(Object.keys(ws._extensions)).toEqual(['permessage-deflate']);
    const deflated = createRoomBroadcast({ io: deflateIo, slices: createDeliverySlices({ sliceMs: 10 }), maxBufferedBytes: 4 * 2 ** 20, onSlow: () => undefined });
    server.emit('compressed', 'y'.repeat(2000));
    await deflated.broadcast('room', [{ eventName: 'article:create', args: [{ id: 4 }] }]);
    server.emit('compressed-again', 'z'.repeat(2000));
    await deflated.broadcast('room', [{ eventName: 'article:update', args: [{ id: 4 }] }]);
    await until(() => received.length === 4);
    expect(received.map((args) => args[0])).toEqual(['compressed', 'article:create', 'compressed-again', 'article:update']);
    expect(received[1]).toEqual(['article:create', { id: 4 }]);
    socket.disconnect();
    deflateIo.engine.close();
    await new Promise((resolve) => deflateHttp.close(resolve));
  });
});
