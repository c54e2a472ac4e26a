/**
 * Delivery when it falls behind, against the real example app: fan-out in slices stays complete, ordered and
 * exactly-once; conflation (when a content type asks for it) keeps the latest version; slow clients are closed
 * by the per-socket and the global byte budgets on every transport while readers keep getting everything.
 * Speed itself is measured in bench/e2e, never here.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { grant } from '../harness/principals';
import { READ_ARTICLES } from '../harness/permission-matrix';
import { openRawSocket, type RawSocket } from '../harness/raw-graphql-ws';
import { openRawSocketIo } from '../harness/raw-socket-io';
import { stalledSocketIo } from '../harness/stalled-client';
import { appendChanges, articleRow } from '../harness/event-log';
import { closeAllClients, collect, connectClient } from '../harness/socket-client';
import { waitFor } from '../harness/wait';

const ARTICLE = 'api::article.article';
const CREATED = 'subscription { articleCreated { documentId title } }';
/**
 * 200 events in batches of five, each batch once `received` says the reader has the previous one: a client that
 * reads keeps up, one that stopped reading piles up past the kernel's socket buffers and then its budget.
 */
const appendInBatches = async (app: ExampleApp, prefix: string, received: () => number, bodyBytes: number) => {
  const body = 'x'.repeat(bodyBytes);
  for (let batch = 0; batch < 40; batch++) {
    appendChanges(
      app.strapi,
      Array.from({ length: 5 }, (_, i) => ({ documentId: `${prefix}-${batch}-${i}`, entry: articleRow(`${prefix}-${batch}-${i}`, `${prefix} ${batch * 5 + i}`, body) })),
    );
    await waitFor(() => received() >= (batch + 1) * 5, `the reader to get batch ${batch}`, 10_000);
  }
};

const realtime = (app: ExampleApp) => app.strapi.plugin('realtime').service('realtime') as any;

const subscribed = async (app: ExampleApp, query: string, variables?: Record<string, unknown>): Promise<RawSocket> => {
  const socket = await openRawSocket(app);
  await socket.init();
  socket.send({ id: 's', type: 'subscribe', payload: { query, variables } });
  return socket;
};
/** The `next` results of a raw graphql-ws socket: the root field's value of each. */
const results = (socket: RawSocket, field: string) => socket.messages.filter((m) => m.type === 'next').map((m) => m.payload.data?.[field]);

const sockets: { dispose(): void }[] = [];
const track = <T extends { dispose(): void }>(socket: T) => (sockets.push(socket), socket);
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.dispose();
  closeAllClients();
});

describe('delivery behind load (per-socket budgets, conflation on articles)', () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await bootExample({
      realtimeConfig: {
        contentTypes: [{ uid: ARTICLE, conflate: true }, { uid: 'api::category.category' }],
        graphql: { maxBufferedBytes: 512 * 1024 },
        socket: { maxBufferedBytes: 512 * 1024 },
      },
    });
    await grant(app.strapi, 'public', READ_ARTICLES);
  });
  afterAll(() => app?.stop());

  it('a burst to hundreds of subscribers on both transports arrives complete, in order and once, in slices that batch writes', async () => {
    const wsClients = await Promise.all(Array.from({ length: 150 }, async () => track(await subscribed(app, CREATED))));
    const ioClients = await Promise.all(Array.from({ length: 150 }, async () => track(await openRawSocketIo(app))));
    await waitFor(() => realtime(app).getTransportStats().find((row: any) => row.transport === 'graphql-ws').subscriptions === 150, 'the subscriptions');
    const before = realtime(app).getDeliveryStats().slices;

    const titles = Array.from({ length: 60 }, (_, i) => `burst ${i}`);
    appendChanges(app.strapi, titles.map((title, i) => ({ documentId: `burst-${i}`, entry: articleRow(`burst-${i}`, title) })));

    await waitFor(() => wsClients.every((c) => results(c, 'articleCreated').length >= 60) && ioClients.every((c) => c.events.length >= 60), 'every event on every subscriber', 20_000);
    for (const client of wsClients) expect(results(client, 'articleCreated').map((a) => a.title)).toEqual(titles);
    for (const client of ioClients) expect(client.events.map(([name, payload]) => `${name} ${(payload as any).title}`)).toEqual(titles.map((t) => `article:create ${t}`));

    const after = realtime(app).getDeliveryStats().slices;
    // Several events reached the same socket within one slice and left in one write.
    expect(after.heldWrites - before.heldWrites).toBeGreaterThan(after.flushes - before.flushes);
  });

  it('with conflation, updates of one document that wait behind each other arrive as the latest version only, in order', async () => {
    const doc = 'conflated-doc';
    const ws = track(await subscribed(app, 'subscription($id: ID) { articleUpdated(documentId: $id) { documentId title } }', { id: doc }));
    const io = await connectClient(app);
    const ioUpdates = collect(io, 'article:update').items;
    await waitFor(() => realtime(app).getTransportStats().find((row: any) => row.transport === 'graphql-ws').subscriptions === 1, 'the subscription');
    const conflatedBefore = realtime(app).getDeliveryStats().queues;

    appendChanges(app.strapi, Array.from({ length: 30 }, (_, i) => ({ action: 'updated' as const, documentId: doc, entry: articleRow(doc, `v${i + 1}`) })));

    await waitFor(() => results(ws, 'articleUpdated').at(-1)?.title === 'v30' && ioUpdates.at(-1)?.title === 'v30', 'the latest version on both transports');
    for (const titles of [results(ws, 'articleUpdated').map((a) => a.title), ioUpdates.map((a: any) => a.title)]) {
      // The first update was already being delivered; the ones behind it gave way to the newest.
      expect(titles.length).toBeLessThan(30);
      expect(titles.map((t: string) => Number(t.slice(1)))).toEqual([...titles.map((t: string) => Number(t.slice(1)))].sort((a, b) => a - b));
    }
    const queues = realtime(app).getDeliveryStats().queues;
    expect(queues.graphql.conflated).toBeGreaterThan(conflatedBefore.graphql.conflated);
    expect(queues['socket.io'].conflated).toBeGreaterThan(conflatedBefore['socket.io'].conflated);
  });

  it('a Socket.IO client that stops reading is disconnected at its byte budget; a reading one gets every event', async () => {
    track(await stalledSocketIo(app));
    const reader = await connectClient(app);
    const received = collect(reader, 'article:create').items;

    // Batches of 320 KB: under the reader's 512 KB budget.
    await appendInBatches(app, 'big', () => received.length, 64 * 1024);

    expect(received).toHaveLength(200);
    await waitFor(() => realtime(app).getTransportStats().find((row: any) => row.transport === 'socket.io').connections === 1, 'the stalled socket to be disconnected', 20_000);
    expect(reader.connected).toBe(true);
  });
});

describe('the global byte budget (every transport together)', () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await bootExample({
      realtimeConfig: {
        delivery: { maxBufferedBytes: 2 * 1024 * 1024 },
        // Per socket, far more than the global budget: only the global one can close anyone here.
        graphql: { maxBufferedBytes: 256 * 1024 * 1024 },
        socket: { maxBufferedBytes: 256 * 1024 * 1024 },
      },
    });
    await grant(app.strapi, 'public', READ_ARTICLES);
  });
  afterAll(() => app?.stop());

  // (graphql-ws's side of the budget is in test/unit/graphql-ws-protocol.test.ts: a stalled loopback client of this
  // machine absorbs tens of MB in the kernel before the server buffers anything, too much to push through a test.)
  it('closes the clients that hold the most until the total fits, and keeps serving readers', async () => {
    track(await stalledSocketIo(app));
    const reader = track(await subscribed(app, CREATED));
    await waitFor(() => realtime(app).getTransportStats().find((row: any) => row.transport === 'graphql-ws').subscriptions === 1, 'the subscription');

    await appendInBatches(app, 'global', () => results(reader, 'articleCreated').length, 64 * 1024);

    expect(results(reader, 'articleCreated')).toHaveLength(200);
    await waitFor(() => realtime(app).getDeliveryStats().backlog.shed >= 1, 'the stalled client to be shed', 20_000);
    // Nothing of it stays behind: its connection ticket is released (the reader holds the only one).
    await waitFor(() => realtime(app).getResourceStats().connectionTickets === 1, 'the stalled connection to be released');
    const stats = realtime(app).getTransportStats();
    expect(stats.find((row: any) => row.transport === 'socket.io').connections).toBe(0);
    expect(stats.find((row: any) => row.transport === 'graphql-ws').connections).toBe(1);
    expect(reader.close).toBeNull();
  });
});
