import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connectSocketIo } from 'socket.io-client';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { createApiToken, grant, type TestApiToken } from '../harness/principals';
import { expectOk, rest } from '../harness/rest';
import { connectSse, connectWs } from '../harness/graphql-clients';
import { closeAllClients, connectClient, nextEvent } from '../harness/socket-client';
import { settle, waitFor } from '../harness/wait';
import { READ_EVERYTHING } from '../harness/permission-matrix';
import { deepFilterVariables, fragmentBomb } from '../harness/hostile-documents';
import { createRandom, type Random } from './random';

/**
 * Random and adversarial input on every transport against the real example app, for a bounded time
 * (FUZZ_SECONDS, default 20; FUZZ_SEED replays a run). Afterwards the server must be alive, its heap growth
 * bounded, its own stats back to zero, and a legitimate subscriber on each transport must still get a REST write.
 */
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 20);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Connections in flight at once. */
const PARALLEL = 8;

const FIELDS = ['title', 'documentId', 'views', 'kind', 'summary', '__typename', 'category { name }', 'tags { name }', 'author { username }', 'nope', '__schema { types { name } }'];
const ROOTS = ['articleCreated', 'articleUpdated', 'articleDeleted', 'categoryCreated', 'homepageUpdated', 'unknownField', '__typename'];

/** A GraphQL document from a small grammar: mostly plausible, often broken, sometimes a known attack. */
const randomDocument = (random: Random): string => {
  const pick = random.int(12);
  if (pick === 0) return fragmentBomb(random.int(40) + 1);
  if (pick === 1) return `subscription { ${ROOTS[0]} { ${Array.from({ length: random.int(3000) }, (_, i) => `a${i}: title`).join(' ')} } }`;
  if (pick === 2) return `subscription { articleCreated(filters: ${'{ not: '.repeat(random.int(400))}{}${' }'.repeat(random.int(400))}) { title } }`;
  if (pick === 3) return random.string(random.int(2000));
  if (pick === 4) return `${'{'.repeat(random.int(5000))}`;
  const fields = Array.from({ length: random.int(6) + 1 }, () => random.pick(FIELDS)).join(' ');
  const args = random.bool() ? `(filters: { title: { ${random.pick(['eq', 'containsi', 'in', 'between', 'bogus'])}: ${random.pick(['"x"', '["a","b"]', '1', 'null', '{}'])} } })` : '';
  const fragment = random.bool() ? ' ...F } fragment F on Article { title ' : '';
  const operation = random.pick(['subscription', 'query', 'mutation', 'subscription Named', '']);
  const text = `${operation} { ${random.pick(ROOTS)}${args} { ${fields}${fragment} } }`;
  return random.bool(0.2) ? text.slice(0, random.int(text.length)) : text;
};

const randomVariables = (random: Random): string => {
  const pick = random.int(6);
  if (pick === 0) return deepFilterVariables(random.int(6000));
  if (pick === 1) return JSON.stringify({ f: { title: { in: Array.from({ length: random.int(5000) }, (_, i) => `t${i}`) } } });
  if (pick === 2) return JSON.stringify(random.json(4));
  return pick === 3 ? 'null' : '{}';
};

/** One graphql-ws connection speaking nonsense, half-sense and attacks. */
const fuzzGraphqlWs = async (app: ExampleApp, random: Random) => {
  const ws = new WebSocket(`${app.wsUrl}/graphql`, random.bool(0.9) ? 'graphql-transport-ws' : random.pick(['graphql-ws', 'bogus']));
  ws.on('error', () => undefined);
  ws.on('message', () => undefined);
  const opened = await new Promise<boolean>((resolve) => {
    ws.once('open', () => resolve(true));
    ws.once('unexpected-response', () => resolve(false));
    ws.once('error', () => resolve(false));
    ws.once('close', () => resolve(false));
  });
  if (!opened) return;
  const id = () => (random.bool(0.8) ? random.pick(['a', 'b', 'c']) : random.string(random.int(300)));
  for (let i = 0; i < random.int(40) + 1 && ws.readyState === ws.OPEN; i++) {
    const kind = random.int(10);
    if (kind === 0) ws.send(random.string(random.int(500)));
    else if (kind === 1) ws.send(Buffer.from(random.string(50)));
    else if (kind === 2) ws.send(JSON.stringify({ type: 'connection_init', payload: random.bool() ? { authorization: `Bearer ${random.string(40)}` } : random.json(2) }));
    else if (kind === 3) ws.send(JSON.stringify({ type: random.pick(['ping', 'pong', 'next', 'error', 'complete', 'connection_ack', random.string(200)]), id: id(), payload: random.json(2) }));
    else if (kind === 4) ws.send(JSON.stringify({ id: id(), type: 'complete' }));
    else if (kind === 5 && random.bool(0.1)) ws.send('x'.repeat(70_000));
    else {
      const query = JSON.stringify(randomDocument(random));
      ws.send(`{"id":${JSON.stringify(id())},"type":"subscribe","payload":{"query":${query},"variables":${randomVariables(random)}}}`);
    }
    if (random.bool(0.3)) await settle(random.int(20));
  }
  if (random.bool(0.5)) ws.terminate();
  else ws.close();
};

/** One SSE request (either mode), well-formed or not. */
const fuzzSse = async (app: ExampleApp, random: Random, reserved: string[]) => {
  const method = random.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);
  const headers: Record<string, string> = {};
  if (random.bool(0.7)) headers.accept = random.pick(['text/event-stream', 'application/json', 'text/html', '*/*', random.string(20)]);
  if (random.bool(0.5)) headers['x-graphql-event-stream-token'] = random.bool(0.5) && reserved.length > 0 ? random.pick(reserved) : random.string(30);
  if (random.bool(0.2)) headers.authorization = `Bearer ${random.string(50)}`;
  let body: string | undefined;
  if (method === 'POST') {
    headers['content-type'] = random.pick(['application/json', 'text/plain', 'application/json; charset=utf-8']);
    body = random.bool(0.8)
      ? `{"query":${JSON.stringify(randomDocument(random))},"variables":${randomVariables(random)},"extensions":${JSON.stringify({ operationId: random.string(random.int(200)) })}}`
      : random.string(random.int(3000));
  }
  const query = method === 'GET' && random.bool() ? `?query=${encodeURIComponent(randomDocument(random))}&variables=${encodeURIComponent(random.string(30))}` : '';
  const controller = new AbortController();
  try {
    const response = await fetch(`${app.httpUrl}/graphql/stream${query}`, { method, headers, body, signal: controller.signal });
    if (method === 'PUT' && response.status === 201) reserved.push(await response.text());
    // Read a little of a stream, then walk away (or not read it at all).
    if (response.body && random.bool()) {
      const reader = response.body.getReader();
      await Promise.race([reader.read(), settle(random.int(100))]);
    }
  } catch {
    // A refused or cut-off request is an expected outcome here.
  } finally {
    controller.abort();
  }
};

/** One Socket.IO client with junk credentials and junk events, or a raw engine.io socket sending garbage packets. */
const fuzzSocketIo = async (app: ExampleApp, random: Random) => {
  if (random.bool(0.4)) {
    const ws = new WebSocket(`${app.wsUrl}/socket.io/?EIO=4&transport=websocket`);
    ws.on('error', () => undefined);
    await new Promise((resolve) => {
      ws.once('open', resolve);
      ws.once('error', resolve);
    });
    for (let i = 0; i < random.int(20) && ws.readyState === ws.OPEN; i++) {
      ws.send(random.pick(['40', `40${JSON.stringify(random.json(2))}`, '42["subscribe-entity",{"uid":1}]', `42${random.string(100)}`, '41', '2', '3', random.string(200), `451-["x",{"_placeholder":true,"num":${random.int(9)}}]`]));
    }
    ws.terminate();
    return;
  }
  const socket = connectSocketIo(app.httpUrl, {
    transports: [random.pick(['websocket', 'polling'])],
    reconnection: false,
    forceNew: true,
    auth: random.pick([{}, { token: random.string(40) }, { token: random.int(10) }, { strategy: 'jwt', token: { nested: true } }, { token: 'Bearer two words' }]),
  });
  socket.on('connect_error', () => undefined);
  await Promise.race([new Promise<void>((resolve) => socket.once('connect', () => resolve())), settle(300)]);
  for (let i = 0; i < random.int(30) && socket.connected; i++) {
    const event = random.pick(['subscribe-entity', 'unsubscribe-entity', 'get-entity-subscriptions', random.string(20)]);
    socket.emit(event, random.json(3), ...(random.bool() ? [() => undefined] : []));
  }
  await settle(random.int(50));
  socket.close();
};

describe(`fuzz: hostile input on every transport for ${SECONDS}s (seed ${SEED})`, () => {
  let app: ExampleApp;
  let admin: TestApiToken;
  const unhandled: unknown[] = [];
  const onUnhandled = (error: unknown) => unhandled.push(error);
  const resources = () => (app.strapi.plugin('realtime').service('realtime') as { getResourceStats(): Record<string, number> }).getResourceStats();
  const heapUsed = () => {
    (globalThis as { gc?: () => void }).gc?.();
    return process.memoryUsage().heapUsed;
  };

  beforeAll(async () => {
    app = await bootExample({ realtimeConfig: { graphql: { sseReservationTimeoutMs: 1000 } } });
    admin = await createApiToken(app.strapi, 'full-access');
    await grant(app.strapi, 'public', READ_EVERYTHING);
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
    closeAllClients();
    await app?.stop();
  });

  it('survives, releases everything, keeps its heap bounded and keeps serving legitimate subscribers', async () => {
    console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
    const random = createRandom(SEED);
    const heapBefore = heapUsed();
    const reserved: string[] = [];
    const deadline = Date.now() + SECONDS * 1000;
    const fuzzers = [fuzzGraphqlWs, (a: ExampleApp, r: Random) => fuzzSse(a, r, reserved), fuzzSocketIo];
    let runs = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (Date.now() < deadline) {
          runs++;
          await random.pick(fuzzers)(app, random);
          // Writes now and then, so events flow through whatever the fuzzers managed to subscribe.
          if (random.bool(0.05)) await rest(app, 'POST', '/api/articles', { token: admin.accessKey, body: { data: { title: random.string(20) } } });
        }
      }),
    );
    console.log(`fuzz: ${runs} connections/requests`);

    // Everything a client held is released once they are gone (reservations expire after 1 s here).
    await waitFor(() => {
      const stats = resources();
      return stats.connections === 0 && stats.subscriptions === 0 && stats.groups === 0 && stats.connectionTickets === 0 && stats.socketIoRooms === 0;
    }, 'every resource released', 15_000).catch((error: unknown) => {
      throw new Error(`${String(error)}: still held ${JSON.stringify(resources())}`);
    });
    const growth = heapUsed() - heapBefore;
    console.log(`fuzz: heap growth ${(growth / 1024 / 1024).toFixed(1)} MB`);
    expect(growth).toBeLessThan(64 * 1024 * 1024);
    expect(unhandled).toEqual([]);

    // A legitimate subscriber on every transport still receives a REST write.
    const ws = connectWs(app);
    const viaWs = ws.subscribe('subscription { articleCreated { title } }');
    const sse = connectSse(app);
    const viaSse = sse.subscribe('subscription { articleCreated { title } }');
    const socket = await connectClient(app);
    const viaSocket = nextEvent(socket, 'article:create');
    await waitFor(() => resources().subscriptions >= 2, 'the subscriptions');
    await settle(100);
    expectOk(await rest(app, 'POST', '/api/articles', { token: admin.accessKey, body: { data: { title: 'after the fuzz' } } }), 'create');
    expect((await viaWs.waitForResults(1))[0].data).toEqual({ articleCreated: { title: 'after the fuzz' } });
    expect((await viaSse.waitForResults(1))[0].data).toEqual({ articleCreated: { title: 'after the fuzz' } });
    expect((await viaSocket).title).toBe('after the fuzz');
    void ws.dispose();
    sse.dispose();
  });
});
