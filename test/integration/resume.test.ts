/**
 * Reliable delivery on one node (the memory event log): clients that drop (the network between them and the server
 * cut by a proxy) get exactly what they missed, in order, then live events; a cursor the log cannot serve gives an
 * explicit gap signal and the subscription keeps working; what a client missed is authorized for who it is when it
 * comes back; and a server restart is a gap, not silence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { io as connectSocketIo, type Socket } from 'socket.io-client';
import { createRealtimeClient, type RealtimeGap } from '../../client/index';
import { BlockedWebSocket } from '../harness/blocked-websocket';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { createExampleDatabase, type ExampleDatabase } from '../harness/example-database';
import { createApiToken, createRole, grant, registerUser, type TestApiToken } from '../harness/principals';
import { expectOk, rest } from '../harness/rest';
import { READ_ARTICLES, READ_EVERYTHING } from '../harness/permission-matrix';
import { startDropProxy, type DropProxy } from '../harness/drop-proxy';
import { waitFor } from '../harness/wait';

const CREATED = 'subscription ArticleTitles { articleCreated { title } }';

const fast = { initialDelayMs: 100, maxDelayMs: 300 };

describe('resume after a dropped connection (memory event log)', () => {
  let app: ExampleApp;
  let proxy: DropProxy;
  let admin: TestApiToken;
  const cleanups: (() => unknown)[] = [];
  const createArticle = async (title: string) =>
    expectOk(await rest(app, 'POST', '/api/articles', { token: admin.accessKey, body: { data: { title } } }), 'create article').data;
  const resources = () => (app.strapi.plugin('realtime').service('realtime') as { getResourceStats(): Record<string, number> }).getResourceStats();

  /** Our client over the proxy (WebSocket, or SSE only), recording titles and gaps. */
  const subscriber = (transport: 'websocket' | 'sse', token?: string) => {
    const titles: string[] = [];
    const gaps: RealtimeGap[] = [];
    const errors: unknown[] = [];
    const client = createRealtimeClient({
      url: `${proxy.wsUrl}/graphql`,
      sseUrl: `${proxy.httpUrl}/graphql/stream`,
      webSocketImpl: transport === 'websocket' ? WebSocket : BlockedWebSocket,
      getToken: () => token ?? null,
      retry: fast,
      keepAlive: false,
      onGap: (gap) => gaps.push(gap),
    });
    const stop = client.subscribe<{ articleCreated: { title: string } }>(
      { query: CREATED },
      {
        next: (result) => {
          if (result.data) titles.push(result.data.articleCreated.title);
        },
        error: (error) => errors.push(error),
        complete: () => undefined,
      },
    );
    cleanups.push(() => {
      stop();
      return client.dispose();
    });
    return { titles, gaps, errors };
  };

  /** A plain socket.io-client with default options (what a plugin-io front end has), over the proxy. */
  const legacySocket = (token?: string) => {
    const socket: Socket = connectSocketIo(proxy.httpUrl, { transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 300, ...(token ? { auth: { token } } : {}) });
    const titles: string[] = [];
    const gaps: unknown[] = [];
    const recovered: boolean[] = [];
    socket.on('article:create', (article: { title: string }) => titles.push(article.title));
    socket.on('realtime:gap', (gap: unknown) => gaps.push(gap));
    socket.on('connect', () => recovered.push(socket.recovered));
    cleanups.push(() => socket.close());
    return { socket, titles, gaps, recovered };
  };

  // A database of our own: it survives the restart test's stop().
  let database: ExampleDatabase;

  beforeAll(async () => {
    database = await createExampleDatabase();
    app = await bootExample({ realtimeConfig: { replay: { maxEvents: 50, maxAgeMs: 60_000 } }, database });
    proxy = await startDropProxy(app.port);
    admin = await createApiToken(app.strapi, 'full-access');
    await grant(app.strapi, 'public', READ_EVERYTHING);
  });
  afterAll(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await proxy?.close();
    await app?.stop();
    await database?.drop();
  });

  it('graphql-ws, SSE and a plain socket.io-client each get exactly the 20 events they missed, in order, then live ones', async () => {
    const overWs = subscriber('websocket');
    const overSse = subscriber('sse');
    const legacy = legacySocket();
    await waitFor(() => legacy.socket.connected && resources().subscriptions >= 2, 'every client subscribed');
    await createArticle('before');
    await waitFor(() => overWs.titles.length === 1 && overSse.titles.length === 1 && legacy.titles.length === 1, 'the first event everywhere');

    proxy.drop();
    const missed = Array.from({ length: 20 }, (_, i) => `missed ${i}`);
    for (const title of missed) await createArticle(title);
    proxy.restore();
    await waitFor(() => overWs.titles.length === 21 && overSse.titles.length === 21 && legacy.titles.length === 21, 'the missed events', 15_000);
    await createArticle('live again');
    const expected = ['before', ...missed, 'live again'];
    await waitFor(() => overWs.titles.length === 22 && overSse.titles.length === 22 && legacy.titles.length === 22, 'the live event');
    expect(overWs.titles).toEqual(expected);
    expect(overSse.titles).toEqual(expected);
    expect(legacy.titles).toEqual(expected);
    expect([overWs.gaps, overSse.gaps, legacy.gaps]).toEqual([[], [], []]);
    // socket.io-client's own flag: the session (and everything it missed) came back.
    expect(legacy.recovered).toEqual([false, true]);
  });

  it('a cursor older than the window gives the gap signal on every transport, and the subscription keeps working', async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    const overWs = subscriber('websocket');
    const overSse = subscriber('sse');
    const legacy = legacySocket();
    await waitFor(() => legacy.socket.connected && resources().subscriptions >= 2, 'every client subscribed');
    await createArticle('seen');
    await waitFor(() => overWs.titles.length === 1 && overSse.titles.length === 1 && legacy.titles.length === 1, 'the first event everywhere');

    proxy.drop();
    // More than the log keeps (replay.maxEvents: 50).
    for (let i = 0; i < 60; i++) await createArticle(`lost ${i}`);
    proxy.restore();
    await waitFor(() => overWs.gaps.length === 1 && overSse.gaps.length === 1 && legacy.gaps.length === 1, 'a gap signal on every transport', 15_000);
    expect(overWs.gaps[0]).toMatchObject({ reason: 'expired', cursor: expect.any(String) });
    expect(legacy.recovered.at(-1)).toBe(false);
    await createArticle('after the gap');
    await waitFor(() => [overWs, overSse, legacy].every((client) => client.titles.at(-1) === 'after the gap'), 'live events after the gap');
    for (const client of [overWs, overSse, legacy]) expect(client.titles).toEqual(['seen', 'after the gap']);
  });

  it('a client demoted while away receives none of the missed events its new role may not read', async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    const readers = await createRole(app.strapi, 'Resume readers', READ_ARTICLES);
    const nobody = await createRole(app.strapi, 'Resume nobody', []);
    const user = await registerUser(app, { roleId: readers.id });
    const overWs = subscriber('websocket', user.jwt);
    const legacy = legacySocket(user.jwt);
    await waitFor(() => legacy.socket.connected && resources().subscriptions >= 1, 'subscribed');
    await createArticle('readable');
    await waitFor(() => overWs.titles.length === 1 && legacy.titles.length === 1, 'the readable event');

    proxy.drop();
    await app.strapi.db.query('plugin::users-permissions.user').update({ where: { id: user.id }, data: { role: nobody.id } });
    for (let i = 0; i < 5; i++) await createArticle(`secret ${i}`);
    proxy.restore();
    await waitFor(() => overWs.errors.length > 0 && legacy.recovered.length === 2, 'the reconnections', 15_000);
    await createArticle('still secret');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(overWs.titles).toEqual(['readable']);
    expect(legacy.titles).toEqual(['readable']);
  });

  it('a server restart with the memory log is a gap, not silence', async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    const overWs = subscriber('websocket');
    await waitFor(() => resources().subscriptions >= 1, 'subscribed');
    await createArticle('before the restart');
    await waitFor(() => overWs.titles.length === 1, 'the first event');

    proxy.drop();
    await app.stop();
    app = await bootExample({ realtimeConfig: { replay: { maxEvents: 50, maxAgeMs: 60_000 } }, database });
    proxy.retarget(app.port);
    proxy.restore();
    await waitFor(() => overWs.gaps.length === 1, 'the gap signal after the restart', 15_000);
    expect(overWs.gaps[0].reason).toBe('unknown-log');
    admin = await createApiToken(app.strapi, 'full-access');
    await waitFor(() => resources().subscriptions >= 1, 'subscribed again');
    await createArticle('after the restart');
    await waitFor(() => overWs.titles.at(-1) === 'after the restart', 'live events after the restart');
  });
});
