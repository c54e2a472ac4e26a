/**
 * Socket.IO config with functions (plugin-io v5 `events` and `hooks.init`), a custom path, eventPrefix and
 * actions, payload size and IP rules, on the real example app.
 */
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { grant, registerUser } from '../harness/principals';
import {
  closeAllClients,
  collect,
  connectClient,
  connectRefused,
  createClient,
  emitWithAck,
  expectNone,
  nextEvent,
  type ClientOptions,
} from '../harness/socket-client';
import { settle } from '../harness/wait';

const ARTICLE = 'api::article.article';
const PATH = '/realtime-io';

describe('Socket.IO config: events, hooks.init, path, limits (real example app)', () => {
  let app: ExampleApp;
  const connect = (options: ClientOptions = {}) => connectClient(app, { path: PATH, ...options });
  const documents = (uid: string) => app.strapi.documents(uid as never) as any;

  beforeAll(async () => {
    app = await bootExample({ realtimeConfigModule: resolve(__dirname, '../fixtures/socket-io-config.cjs') });
    await grant(app.strapi, 'public', [`${ARTICLE}.find`, 'api::category.category.find']);
  });
  afterEach(() => closeAllClients());
  afterAll(() => app?.stop());

  it('hooks.init is awaited during boot and gets { strapi, io, $io }', () => {
    expect((app.strapi as any).realtimeInitHook).toEqual({ done: true, ioIsDollarIo: true, hasServer: true, path: PATH });
  });

  it('a `connection` handler runs once the handshake passed (socket.data ready, init middleware ran) and can emit back', async () => {
    const user = await registerUser(app);
    // The listener is attached before the socket connects, as a client would do.
    const socket = createClient(app, { path: PATH, auth: { strategy: 'jwt', token: user.jwt } });
    expect(await nextEvent(socket, 'welcome')).toEqual({
      message: 'Connected to Strapi!',
      user: { id: user.id, username: user.username, email: user.email, role: 'Authenticated' },
      role: 'Authenticated',
      initMiddlewareRan: true,
      ioIsDollarIo: true,
    });
  });

  it('custom events get (ctx, socket, ...args) with acks; `disconnect` handlers get the reason', async () => {
    const a = await connect();
    const b = await connect();
    expect(await emitWithAck(a, 'echo', { hello: 'world' })).toEqual({ echoed: { hello: 'world' }, kind: 'public' });

    b.emit('room:join', { roomId: 'lobby' });
    expect(await nextEvent(b, 'room:joined')).toBe('lobby');
    const chat = nextEvent(b, 'chat:message');
    a.emit('chat:message', { room: 'lobby', text: 'hi there' });
    expect(await chat).toEqual({ id: a.id, text: 'hi there' });
    const invalid = nextEvent(a, 'error');
    a.emit('chat:message', { room: 'lobby', text: 'x'.repeat(501) });
    expect(await invalid).toEqual({ message: 'Invalid message' });

    b.emit('watch');
    await nextEvent(b, 'watching');
    const left = nextEvent(b, 'left');
    const id = a.id;
    a.close();
    expect(await left).toEqual({ id, reason: 'client namespace disconnect' });
  });

  it('handlers that throw (sync or async) are logged, never crash; the socket keeps working', async () => {
    const socket = await connect();
    socket.emit('boom');
    socket.emit('room:join');
    socket.emit('room:join', null);
    await settle(100);
    expect(socket.connected).toBe(true);
    expect(await emitWithAck(socket, 'echo', 1)).toEqual({ echoed: 1, kind: 'public' });
  });

  it('serverOptions.path is where Socket.IO listens; the default path is not served', async () => {
    const error = await connectRefused(app, { path: '/socket.io', timeout: 2000 });
    expect(error.message).toMatch(/websocket error|timeout/);
    expect(app.strapi.plugin('realtime').service('realtime').getEndpoints().socketIo).toBe(PATH);
  });

  it('eventPrefix names the events and `actions` limits them', async () => {
    const socket = await connect();
    const created = nextEvent(socket, 'news:create');
    const none = [expectNone(socket, 'news:publish', 500), expectNone(socket, 'article:create', 500)];
    const article = await documents(ARTICLE).create({ data: { title: 'Prefixed' }, status: 'published' });
    expect(await created).toMatchObject({ documentId: article.documentId, title: 'Prefixed' });
    const draft = await documents(ARTICLE).create({ data: { title: 'Later' } });
    await documents(ARTICLE).publish({ documentId: draft.documentId });
    await Promise.all(none);
    const deleted = nextEvent(socket, 'news:delete');
    await documents(ARTICLE).delete({ documentId: article.documentId });
    expect(await deleted).toEqual({ documentId: article.documentId, locale: null });
  });

  it('config sensitiveFields are stripped from raw() too', async () => {
    const socket = await connect();
    const received = nextEvent(socket, 'payment');
    await (app.strapi as any).$io.raw({ event: 'payment', data: { amount: 5, creditCard: '4111', CREDITCARD: 'x' } });
    expect(await received).toEqual({ amount: 5 });
  });

  it('maxPayloadBytes: an oversized packet closes only that client', async () => {
    const big = await connect();
    const other = await connect();
    const disconnected = nextEvent(big, 'disconnect');
    big.emit('echo', 'x'.repeat(3000));
    expect(await disconnected).toMatch(/transport (close|error)/);
    expect(await emitWithAck(other, 'echo', 'small')).toEqual({ echoed: 'small', kind: 'public' });
  });

  describe('IP allow and deny lists', () => {
    const withForwardedFor = (address: string): ClientOptions => ({ extraHeaders: { 'X-Forwarded-For': address } });
    afterEach(() => app.strapi.config.set('server.proxy', { koa: false }));

    it('X-Forwarded-For is ignored unless Strapi trusts its proxy (server.proxy.koa)', async () => {
      // The peer is 127.0.0.1 (allowed); a forged header must not change that.
      const socket = await connect(withForwardedFor('198.51.100.7'));
      expect(socket.connected).toBe(true);
    });

    it('behind a trusted proxy: allow list (CIDR) then deny list, with plugin-io messages', async () => {
      app.strapi.config.set('server.proxy', { koa: true });
      const outside = await connectRefused(app, { path: PATH, ...withForwardedFor('192.0.2.1') });
      expect(outside.message).toBe('IP not whitelisted');
      expect(outside.data?.code).toBe('IP_NOT_ALLOWED');
      const denied = await connectRefused(app, { path: PATH, ...withForwardedFor('198.51.100.7') });
      expect(denied.message).toBe('IP blacklisted');
      expect(denied.data?.code).toBe('IP_DENIED');
      // The client is the first address of the header.
      const allowed = await connect(withForwardedFor('198.51.100.8, 10.0.0.1'));
      expect(allowed.connected).toBe(true);
      const monitoring = app.strapi.plugin('realtime').service('monitoring') as any;
      expect(monitoring.getConnectionStats().sockets.find((s: any) => s.id === allowed.id).handshake.address).toBe('198.51.100.8');
    });
  });

  it('other sockets are unaffected by one refused client', async () => {
    const socket = await connect();
    const recorded = collect(socket, 'category:create');
    app.strapi.config.set('server.proxy', { koa: true });
    try {
      await connectRefused(app, { path: PATH, extraHeaders: { 'X-Forwarded-For': '192.0.2.9' } });
    } finally {
      app.strapi.config.set('server.proxy', { koa: false });
    }
    await documents('api::category.category').create({ data: { name: 'After refusal' } });
    await recorded.atLeast(1);
    expect(recorded.items[0]).toMatchObject({ name: 'After refusal' });
  });
});
