/**
 * The event log of several nodes on Redis Streams, against a real redis-server of the test's own (so it can be
 * stopped and started again): order and cursors shared by every node, appends kept while Redis is down and loss
 * reported as a gap, replay after a cursor, no secrets in what Redis stores, and two real example apps whose
 * subscribers get every event exactly once, in order, across a Redis outage and a node restart.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient } from 'redis';
import { createRealtimeClient } from '../../client/index';
import { createRedisStreamLog } from '../../src/bus/redis-stream-log';
import type { BusMessage } from '../../src/events/change-event';
import type { LogRecord } from '../../src/events/log-record';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { createExampleDatabase, type ExampleDatabase } from '../harness/example-database';
import { grant, registerUser } from '../harness/principals';
import { connectClient, collect } from '../harness/socket-client';
import { startRedisServer, type RedisServer } from '../harness/redis-server';
import { READ_EVERYTHING } from '../harness/permission-matrix';
import { settle, sleep, waitFor } from '../harness/wait';

const change = (title: string): BusMessage => ({
  type: 'change',
  event: { id: randomUUID(), uid: 'api::article.article', action: 'created', documentId: `doc-${title}`, locale: null, status: 'published', entry: { title }, at: new Date().toISOString() },
});
const titleOf = (record: LogRecord) => (record.kind === 'message' && record.message.type === 'change' ? String(record.message.event.entry?.title) : `gap:${record.kind === 'gap' ? record.reason : ''}`);

describe('Redis Streams event log', () => {
  let redis: RedisServer;
  const logs: { close(): Promise<void> }[] = [];
  const open = async (stream: string, overrides: Partial<Parameters<typeof createRedisStreamLog>[0]> = {}) => {
    const errors: string[] = [];
    const log = await createRedisStreamLog({ url: redis.url, stream, maxEvents: 100, maxAgeMs: 60_000, bufferSize: 1000, onError: (message) => errors.push(message), ...overrides });
    const seen: LogRecord[] = [];
    log.subscribe((record) => seen.push(record));
    logs.push(log);
    return { log, seen, errors };
  };

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    for (const log of logs) await log.close();
    await redis?.close();
  });

  it('gives every node every record in one order with the same cursors, and ignores entries it did not write', async () => {
    const stream = `test:${randomUUID()}`;
    const a = await open(stream);
    const b = await open(stream);
    const raw = createClient({ url: redis.url });
    await raw.connect();
    await raw.sendCommand(['XADD', stream, '*', 'm', '{not json']);
    await raw.sendCommand(['XADD', stream, '*', 'm', JSON.stringify({ type: 'change', event: null })]);
    raw.destroy();
    a.log.append(change('one'));
    b.log.append(change('two'));
    a.log.append(change('three'));
    await waitFor(() => a.seen.length === 3 && b.seen.length === 3, 'three records on both nodes');
    expect(a.seen.map((r) => r.id)).toEqual(b.seen.map((r) => r.id));
    expect(new Set(a.seen.map(titleOf))).toEqual(new Set(['one', 'two', 'three']));
    expect(a.seen.map(titleOf)).toEqual(b.seen.map(titleOf));
    for (const { errors } of [a, b]) expect(errors).toEqual([expect.stringMatching(/not JSON/), expect.stringMatching(/malformed/)]);
  });

  it('replays after a cursor; a trimmed cursor is expired, another stream\'s is unknown, garbage is invalid', async () => {
    const stream = `test:${randomUUID()}`;
    const a = await open(stream, { maxEvents: 5 });
    for (let i = 0; i < 3; i++) a.log.append(change(`r${i}`));
    await waitFor(() => a.seen.length === 3, 'three records');
    const replay = await a.log.readAfter(a.seen[0].id);
    expect(replay.ok && replay.records.map(titleOf)).toEqual(['r1', 'r2']);
    // MAXLEN ~ trims whole stream nodes (100 entries each): write enough for the first ones to go.
    for (let i = 3; i < 250; i++) a.log.append(change(`r${i}`));
    await waitFor(() => a.seen.length === 250, 'many records');
    expect(await a.log.readAfter(a.seen[0].id)).toMatchObject({ ok: false, reason: 'expired' });
    const other = await open(`test:${randomUUID()}`);
    other.log.append(change('elsewhere'));
    await waitFor(() => other.seen.length === 1, 'a record elsewhere');
    expect(await a.log.readAfter(other.seen[0].id)).toMatchObject({ ok: false, reason: 'unknown-log' });
    expect(await a.log.readAfter('garbage')).toMatchObject({ ok: false, reason: 'invalid-cursor', head: a.seen[249].id });
  });

  it('keeps appends while Redis is down and delivers them when it is back; past the buffer, a gap reaches every node', async () => {
    const stream = `test:${randomUUID()}`;
    const a = await open(stream, { bufferSize: 3 });
    const b = await open(stream, { bufferSize: 3 });
    a.log.append(change('up'));
    await waitFor(() => b.seen.length === 1, 'the first record');
    await redis.stop();
    for (const title of ['down 1', 'down 2', 'down 3', 'dropped 4', 'dropped 5']) a.log.append(change(title));
    await sleep(500);
    await redis.start();
    await waitFor(() => a.seen.length === 5 && b.seen.length === 5, 'the buffered records and the gap', 20_000);
    for (const { seen } of [a, b]) expect(seen.map(titleOf)).toEqual(['up', 'down 1', 'down 2', 'down 3', 'gap:buffer-overflow']);
    expect(a.log.stats()).toMatchObject({ buffered: 0 });
  });

  it('works over rediss:// (TLS) with ACL credentials in the URL, and refuses wrong credentials at boot', async () => {
    const secure = await startRedisServer({ secure: true });
    try {
      const run = (url: string) =>
        JSON.parse(
          execFileSync(process.execPath, [resolve(__dirname, '../fixtures/redis-log-client.mjs'), url, `test:${randomUUID()}`], {
            env: { ...process.env, NODE_EXTRA_CA_CERTS: secure.caFile },
          }).toString(),
        ) as { seen?: string[]; error?: string };
      expect(run(secure.url)).toEqual({ seen: ['one', 'two'] });
      expect(run(secure.url.replace('s3cret', 'wrong')).error).toMatch(/WRONGPASS|invalid username-password|cannot reach/i);
    } finally {
      await secure.close();
    }
  });

  it('refuses to boot when Redis cannot be reached', async () => {
    await expect(createRedisStreamLog({ url: 'redis://127.0.0.1:1', stream: 'x', maxEvents: 1, maxAgeMs: 1, bufferSize: 1, onError: () => undefined })).rejects.toThrow(/cannot reach Redis|ECONNREFUSED/);
  });
});

describe('two example apps on one Redis stream', () => {
  let redis: RedisServer;
  let nodeA: ExampleApp;
  let nodeB: ChildProcess | null = null;
  let nodeBUrl: { wsUrl: string; httpUrl: string };
  const stream = `realtime-test:${randomUUID()}`;
  const configModule = resolve(__dirname, '../fixtures/redis-cluster-config.cjs');
  const cleanups: (() => unknown)[] = [];

  const nodeBDatabases: ExampleDatabase[] = [];
  const startNodeB = async () => {
    const database = await createExampleDatabase();
    nodeBDatabases.push(database);
    const child = fork(resolve(__dirname, '../fixtures/example-node.mjs'), [], {
      env: {
        ...process.env,
        ...database.env,
        PORT: '0',
        EXAMPLE_SEED: 'false',
        REALTIME_CONFIG_MODULE: configModule,
        REALTIME_TEST_CHANNEL: stream,
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const { port } = await new Promise<{ port: number }>((resolvePort, reject) => {
      child.once('message', (message) => resolvePort(message as { port: number }));
      child.once('exit', (code) => reject(new Error(`node B exited with ${code}`)));
    });
    nodeB = child;
    nodeBUrl = { wsUrl: `ws://127.0.0.1:${port}`, httpUrl: `http://127.0.0.1:${port}` };
  };
  const stopNodeB = async () => {
    const child = nodeB;
    nodeB = null;
    if (!child) return;
    child.send('stop');
    await new Promise((done) => child.once('exit', done));
  };
  const createOnA = (title: string) =>
    nodeA.strapi.documents('api::article.article' as never).create({ data: { title }, status: 'published' } as never);
  const watch = (url: { wsUrl: string; httpUrl: string }) => {
    const titles: string[] = [];
    const gaps: unknown[] = [];
    const client = createRealtimeClient({ url: `${url.wsUrl}/graphql`, webSocketImpl: WebSocket, retry: { initialDelayMs: 100, maxDelayMs: 500 }, keepAlive: false, onGap: (gap) => gaps.push(gap) });
    const stop = client.subscribe<{ articleCreated: { title: string } }>(
      { query: 'subscription { articleCreated { title } }' },
      { next: (result) => result.data && titles.push(result.data.articleCreated.title), error: () => undefined, complete: () => undefined },
    );
    cleanups.push(() => {
      stop();
      return client.dispose();
    });
    return { titles, gaps };
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    process.env.REDIS_URL = redis.url;
    process.env.REALTIME_TEST_CHANNEL = stream;
    nodeA = await bootExample({ realtimeConfigModule: configModule });
    await grant(nodeA.strapi, 'public', READ_EVERYTHING);
    await startNodeB();
  });
  afterAll(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await stopNodeB();
    await nodeA?.stop();
    for (const database of nodeBDatabases) await database.drop();
    await redis?.close();
    delete process.env.REDIS_URL;
  });

  it('a write on node A reaches GraphQL and Socket.IO subscribers on node B, exactly once', async () => {
    const onB = watch(nodeBUrl);
    const socket = await connectClient(nodeBUrl);
    const { items: events } = collect(socket, 'article:create');
    await settle(300);
    await nodeA.strapi.documents('api::article.article' as never).create({ data: { title: 'From node A', internalNotes: 'PRIVATE' }, status: 'published' } as never);
    await waitFor(() => onB.titles.length === 1 && events.length === 1, 'the event on node B');
    await settle(500);
    expect(onB.titles).toEqual(['From node A']);
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0])).not.toContain('PRIVATE');
    socket.disconnect();
  });

  it('hooks.init attached @socket.io/redis-adapter: strapi.$io.raw on node A reaches a socket on node B', async () => {
    const socket = await connectClient(nodeBUrl);
    const { items: notices } = collect(socket, 'notice');
    await settle(300);
    await (nodeA.strapi as unknown as { $io: { raw(options: object): Promise<void> } }).$io.raw({ event: 'notice', data: { text: 'hello cluster' } });
    await waitFor(() => notices.length > 0, 'the raw event on node B');
    expect(notices[0]).toEqual({ text: 'hello cluster' });
    socket.disconnect();
  });

  it('strapi.$io broadcasts that leave node A while Redis is down are no unhandled rejections, and reach node B again once it is back', async () => {
    // @socket.io/redis-adapter drops the promise of each publish: unguarded, every broadcast during the outage would
    // be an unhandled rejection (read ECONNRESET, connect ECONNREFUSED), which ends a Node process by default.
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const $io = (nodeA.strapi as unknown as { $io: { raw(options: object): Promise<void> } }).$io;
    try {
      const storm = setInterval(() => void $io.raw({ event: 'notice', data: { text: 'during the outage' } }), 2);
      await sleep(200);
      await redis.stop();
      await sleep(1000);
      clearInterval(storm);
      await redis.start();
      const socket = await connectClient(nodeBUrl);
      const { items: notices } = collect(socket, 'notice');
      await waitFor(
        async () => {
          await $io.raw({ event: 'notice', data: { text: 'after the outage' } });
          await sleep(200);
          return notices.some((notice) => JSON.stringify(notice).includes('after the outage'));
        },
        'a raw event on node B after the outage',
        20_000,
      );
      socket.disconnect();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    // The event stream reconnects on its own schedule: the next tests start once a write reaches both nodes again.
    const onA = watch({ wsUrl: nodeA.wsUrl, httpUrl: nodeA.httpUrl });
    const onB = watch(nodeBUrl);
    await settle(500);
    await createOnA('the stream is back');
    await waitFor(() => onA.titles.length > 0 && onB.titles.length > 0, 'an event on both nodes after the outage', 30_000);
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('Redis keeps no secrets: private fields, passwords, tokens and admin users never reach the stream', async () => {
    const user = await registerUser(nodeA);
    await nodeA.strapi.db.query('plugin::users-permissions.user').update({ where: { id: user.id }, data: { resetPasswordToken: 'RESET-SECRET', confirmationToken: 'CONFIRM-SECRET' } });
    await nodeA.strapi.documents('api::article.article' as never).create({ data: { title: 'With author', internalNotes: 'PRIVATE-NOTE', author: user.id }, status: 'published' } as never);
    const raw = createClient({ url: redis.url });
    await raw.connect();
    const entries = JSON.stringify(await raw.sendCommand(['XRANGE', stream, '-', '+']));
    raw.destroy();
    expect(entries).toContain('With author');
    expect(entries).toContain(user.username);
    for (const secret of ['PRIVATE-NOTE', 'RESET-SECRET', 'CONFIRM-SECRET', '"password"', 'resetPasswordToken', 'createdBy', '$2a$', '$2b$']) {
      expect(entries, secret).not.toContain(secret);
    }
  });

  it('Redis stopped for 5 s while both nodes take writes: every subscriber on both nodes gets every event once, in order', async () => {
    const onA = watch({ wsUrl: nodeA.wsUrl, httpUrl: nodeA.httpUrl });
    const onB = watch(nodeBUrl);
    await settle(500);
    await createOnA('before the outage');
    await waitFor(() => onA.titles.length === 1 && onB.titles.length === 1, 'the first event on both nodes');
    await redis.stop();
    for (let i = 0; i < 5; i++) {
      await createOnA(`during ${i}`);
      await sleep(1000);
    }
    await redis.start();
    await createOnA('after the outage');
    const expected = ['before the outage', ...Array.from({ length: 5 }, (_, i) => `during ${i}`), 'after the outage'];
    await waitFor(() => onA.titles.length === expected.length && onB.titles.length === expected.length, 'every event on both nodes', 30_000);
    await settle(500);
    expect(onA.titles).toEqual(expected);
    expect(onB.titles).toEqual(expected);
    expect([onA.gaps, onB.gaps]).toEqual([[], []]);
  });

  it('a client resumes on another node, and on a restarted node, from its cursor', async () => {
    const onB = watch(nodeBUrl);
    await settle(500);
    await createOnA('seen on B');
    await waitFor(() => onB.titles.includes('seen on B'), 'the event on node B');
    for (const cleanup of cleanups.splice(0)) await cleanup();

    // Node B restarts while the client is away; it comes back to the new node B with its cursor.
    const cursorClient = createRealtimeClient({ url: `${nodeA.wsUrl}/graphql`, webSocketImpl: WebSocket, keepAlive: false });
    const cursor = await new Promise<string>((resolveCursor) => {
      const stop = cursorClient.subscribe<{ realtimeCursor: string }>({ query: '{ realtimeCursor }' }, { next: (r) => resolveCursor(r.data!.realtimeCursor), error: () => undefined, complete: () => stop() });
    });
    await cursorClient.dispose();
    await stopNodeB();
    for (let i = 0; i < 3; i++) await createOnA(`while away ${i}`);
    await startNodeB();
    const titles: string[] = [];
    const resumed = createRealtimeClient({ url: `${nodeBUrl.wsUrl}/graphql`, webSocketImpl: WebSocket, keepAlive: false });
    cleanups.push(() => resumed.dispose());
    resumed.subscribe<{ articleCreated: { title: string } }>(
      { query: 'subscription { articleCreated { title } }', extensions: { cursor } },
      { next: (r) => r.data && titles.push(r.data.articleCreated.title), error: () => undefined, complete: () => undefined },
    );
    await waitFor(() => titles.length === 3, 'the three events written while it was away', 15_000);
    expect(titles).toEqual(['while away 0', 'while away 1', 'while away 2']);
  });
});
