import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { createRedisBus } from '../../src/bus/redis-bus';
import type { BusMessage } from '../../src/events/change-event';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { createExampleDatabase, type ExampleDatabase } from '../harness/example-database';
import { grant } from '../harness/principals';
import { READ_ARTICLES } from '../harness/permission-matrix';
import { connectWs } from '../harness/graphql-clients';
import { collect, connectClient } from '../harness/socket-client';
import { settle, waitFor } from '../harness/wait';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const change = (title: string): BusMessage => ({
  type: 'change',
  event: {
    id: randomUUID(),
    uid: 'api::article.article',
    action: 'created',
    documentId: 'doc',
    locale: null,
    status: 'published',
    entry: { title },
    at: new Date().toISOString(),
  },
});

describe('Redis EventBus (real Redis server)', () => {
  it('delivers every message to every node, its own included, and ignores garbage on the channel', async () => {
    const channel = `realtime-test:${randomUUID()}`;
    const errorsOfA: unknown[] = [];
    const errorsOfB: unknown[] = [];
    const a = await createRedisBus({ url: REDIS_URL, channel, onError: (e) => errorsOfA.push(e) });
    const b = await createRedisBus({ url: REDIS_URL, channel, onError: (e) => errorsOfB.push(e) });
    const seenByA: BusMessage[] = [];
    const seenByB: BusMessage[] = [];
    a.subscribe((m) => seenByA.push(m));
    b.subscribe((m) => seenByB.push(m));

    const raw = createClient({ url: REDIS_URL });
    await raw.connect();
    // Untrusted input, checked field by field: none of these may reach a transport.
    const { event } = change('x') as Extract<BusMessage, { type: 'change' }>;
    const garbage = [
      '{not json',
      JSON.stringify({ type: 'something else' }),
      JSON.stringify({ type: 'change', event: null }),
      JSON.stringify({ type: 'change', event: { ...event, entry: 'S' } }),
      JSON.stringify({ type: 'change', event: { ...event, action: 'exploded' } }),
      JSON.stringify({ type: 'emit', emit: { id: 'e1', uid: 'api::article.article', entry: {}, at: new Date().toISOString() } }),
    ];
    for (const message of garbage) await raw.publish(channel, message);
    raw.destroy();

    await a.publish(change('one'));
    await b.publish(change('two'));
    await waitFor(() => seenByA.length >= 2 && seenByB.length >= 2, 'both messages on both nodes');
    expect(seenByA.map((m) => m.type === 'change' && m.event.entry?.title)).toEqual(['one', 'two']);
    expect(seenByB).toEqual(seenByA);
    // Each node reports the garbage it received, and kept going.
    for (const errors of [errorsOfA, errorsOfB]) {
      expect(errors.map(String)).toEqual([
        expect.stringMatching(/not JSON/),
        expect.stringMatching(/malformed.*unknown type/),
        expect.stringMatching(/malformed.*change without an event/),
        expect.stringMatching(/malformed.*event\.entry/),
        expect.stringMatching(/malformed.*event\.action/),
        expect.stringMatching(/malformed.*emit\.verb/),
      ]);
    }
    await a.close();
    await b.close();
  });

  it('fails the boot with a clear error when Redis cannot be reached', async () => {
    await expect(createRedisBus({ url: 'redis://127.0.0.1:1', channel: 'x', onError: () => undefined })).rejects.toThrow(/cannot reach Redis|ECONNREFUSED/);
  });
});

describe('two nodes of the example app share events through Redis', () => {
  const channel = `realtime-test:${randomUUID()}`;
  const configModule = resolve(__dirname, '../fixtures/redis-cluster-config.cjs');
  let nodeA: ExampleApp;
  let nodeB: ChildProcess;
  let nodeBDatabase: ExampleDatabase;
  let nodeBUrl: { wsUrl: string; httpUrl: string };

  beforeAll(async () => {
    process.env.REALTIME_TEST_CHANNEL = channel;
    nodeA = await bootExample({ realtimeConfigModule: configModule });
    await grant(nodeA.strapi, 'public', READ_ARTICLES);
    nodeBDatabase = await createExampleDatabase();
    nodeB = fork(resolve(__dirname, '../fixtures/example-node.mjs'), [], {
      env: {
        ...process.env,
        ...nodeBDatabase.env,
        PORT: '0',
        EXAMPLE_SEED: 'false',
        REALTIME_CONFIG_MODULE: configModule,
        REALTIME_TEST_CHANNEL: channel,
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const { port } = await new Promise<{ port: number }>((resolvePort, reject) => {
      nodeB.once('message', (message) => resolvePort(message as { port: number }));
      nodeB.once('exit', (code) => reject(new Error(`node B exited with ${code}`)));
    });
    nodeBUrl = { wsUrl: `ws://127.0.0.1:${port}`, httpUrl: `http://127.0.0.1:${port}` };
  });
  afterAll(async () => {
    nodeB?.send('stop');
    await new Promise((done) => nodeB?.once('exit', done));
    await nodeA?.stop();
    await nodeBDatabase?.drop();
  });

  it('a write on node A reaches GraphQL and Socket.IO subscribers on node B, exactly once', async () => {
    const ws = connectWs(nodeBUrl);
    const subscription = ws.subscribe(`subscription { articleCreated { title } }`);
    const socket = await connectClient(nodeBUrl);
    const { items: events } = collect(socket, 'article:create');
    await settle(300);

    await nodeA.strapi.documents('api::article.article' as never).create({ data: { title: 'From node A', internalNotes: 'PRIVATE' }, status: 'published' } as never);
    expect((await subscription.waitForResults(1))[0].data).toEqual({ articleCreated: { title: 'From node A' } });
    await waitFor(() => events.length > 0, 'the Socket.IO event on node B');
    await settle(500);
    expect(subscription.results).toHaveLength(1);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ title: 'From node A' });
    expect(JSON.stringify(events[0])).not.toContain('PRIVATE');
    void ws.dispose();
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
});
