/**
 * The graphql-transport-ws protocol core (createGraphqlWsProtocol) with a fake socket, the real hub, pipeline and
 * document checks on the fake Strapi: every message order of the protocol, fast and without a network.
 */
import { createBacklogBudget } from '../../src/delivery/backlog-budget';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { specifiedRules } from 'graphql';
import { createObservability } from '../../src/observability/observability';
import { createDocumentCache } from '../../src/transports/graphql/document-cache';
import { createGraphqlWsProtocol } from '../../src/transports/graphql/graphql-ws-protocol';
import type { SubscriptionHub } from '../../src/transports/graphql/subscription-hub';
import { ARTICLE, CATEGORY } from './fakes/content-models';
import { AUTHENTICATED_ROLE, EDITOR_ROLE, PUBLIC_ROLE } from './fakes/fake-strapi';
import { openFakeClient, type FakeClient } from './fakes/fake-protocol-socket';
import { articleEntry, changeEvent, createRealtimeFixture, type RealtimeFixture } from './fakes/realtime-fixture';

const CREATED = 'subscription { articleCreated { title category { name } } }';
const READ_ALL = [`${ARTICLE}.find`, `${CATEGORY}.find`];

let fixture: RealtimeFixture;
let stopProtocol: () => void = () => undefined;

/** A protocol core over the fixture's hub (or a stand-in around it), and a way to open fake clients. */
const setup = (userConfig: Record<string, unknown> = {}, wrapHub: (hub: SubscriptionHub) => SubscriptionHub = (hub) => hub) => {
  fixture = createRealtimeFixture(userConfig);
  fixture.strapi.grant(PUBLIC_ROLE, READ_ALL);
  fixture.strapi.grant(AUTHENTICATED_ROLE, READ_ALL);
  const { config, schema, pipeline, strapi } = fixture;
  const monitor = createObservability({ eventLogSize: 100 });
  const checkDocument = createDocumentCache(schema, specifiedRules, {
    maxBytes: config.graphql.maxMessageBytes,
    maxTokens: config.graphql.maxTokens,
    maxDepth: config.graphql.maxDepth,
    maxFields: config.graphql.maxFields,
    maxAliases: config.graphql.maxAliases,
    maxValueDepth: config.graphql.maxInputDepth,
  });
  const hub = wrapHub(fixture.hub);
  const backlog = createBacklogBudget({ maxBytes: config.delivery.maxBufferedBytes });
  const protocol = createGraphqlWsProtocol({ config: config.graphql, schema, hub, pipeline, checkDocument, monitor, log: strapi.log, backlog, head: () => null });
  stopProtocol = () => {
    protocol.dispose();
    backlog.stop();
  };
  const connect = () => openFakeClient((socket) => protocol.opened(socket));
  /** A client past connection_init (acknowledged), with `payload` as its connection params. */
  const connected = async (payload?: Record<string, unknown>) => {
    const client = connect();
    await client.send({ type: 'connection_init', payload });
    expect(client.messages).toEqual([{ type: 'connection_ack' }]);
    return client;
  };
  return { ...fixture, hub: fixture.hub, protocol, monitor, backlog, connect, connected };
};

afterEach(() => {
  stopProtocol();
  fixture?.dispose();
  vi.useRealTimers();
});

/** Lets the protocol's pending promises (permission re-checks, closes reported on the next tick) settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const subscribeMessage = (id: string, query = CREATED, variables?: Record<string, unknown>) => ({ id, type: 'subscribe', payload: { query, variables } });

/** A hub whose `subscribe` waits until `release()`: a subscribe the protocol is still checking. */
const gatedHub = () => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const wrap = (hub: SubscriptionHub): SubscriptionHub => ({ ...hub, subscribe: async (request) => gate.then(() => hub.subscribe(request)) });
  return { wrap, release: () => release() };
};

const titlesOf = (client: FakeClient, id: string) =>
  client.of(id).filter((message) => message.type === 'next').map((message) => message.payload.data.articleCreated.title as string);

describe('connection_init', () => {
  it('is acknowledged once Strapi resolved the credential; a second one closes with 4429', async () => {
    const { connected, protocol, strapi } = setup();
    const client = await connected({ authorization: `Bearer ${strapi.userToken(1)}` });
    expect(protocol.stats()).toEqual({ connections: 1, subscriptions: 0 });
    await client.send({ type: 'connection_init' });
    expect(client.closed).toEqual({ code: 4429, reason: 'Too many initialisation requests' });
    await settle();
    expect(protocol.stats()).toEqual({ connections: 0, subscriptions: 0 });
  });

  it('a refused credential closes with 4403 and the reason; a failure to authenticate closes with 4500', async () => {
    const { connect, strapi, monitor } = setup();
    const refused = connect();
    await refused.send({ type: 'connection_init', payload: { token: 'not-a-credential' } });
    expect(refused.closed).toEqual({ code: 4403, reason: 'Forbidden: Invalid token (INVALID_TOKEN)' });

    strapi.failNext('authenticate', new Error('database unavailable'));
    const failed = connect();
    await failed.send({ type: 'connection_init', payload: { token: 'whatever' } });
    expect(failed.closed).toEqual({ code: 4500, reason: 'Internal server error' });
    expect(strapi.logs.map((line) => line.message)).toEqual([expect.stringContaining('graphql-ws authentication failed: Error: database unavailable')]);
    expect(monitor.counters().refusedConnections.map(({ reason, count }) => [reason, count])).toEqual([
      ['invalid_token', 1],
      ['internal_error', 1],
    ]);
  });

  it('must arrive within connectionInitTimeoutMs (4408); once acknowledged the timer is gone', async () => {
    vi.useFakeTimers();
    const { connect, connected } = setup({ graphql: { connectionInitTimeoutMs: 1000 } });
    const silent = connect();
    const prompt = await connected();
    vi.advanceTimersByTime(999);
    expect(silent.closed).toBeNull();
    vi.advanceTimersByTime(1);
    expect(silent.closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
    vi.advanceTimersByTime(60_000);
    expect(prompt.closed).toBeNull();
  });

  it('a credential that expires closes the connection with 4403 when it does', async () => {
    vi.useFakeTimers();
    const { connected, strapi } = setup();
    const client = await connected({ authorization: strapi.userToken(1, AUTHENTICATED_ROLE, { expiresInSeconds: 60 }) });
    vi.advanceTimersByTime(59_000);
    expect(client.closed).toBeNull();
    vi.advanceTimersByTime(1_000);
    expect(client.closed).toEqual({ code: 4403, reason: 'Forbidden: token expired' });
  });
});

describe('subscribe and complete', () => {
  it('before connection_init closes with 4401', async () => {
    const { connect } = setup();
    const client = connect();
    await client.send(subscribeMessage('1'));
    expect(client.closed).toEqual({ code: 4401, reason: 'Unauthorized' });
  });

  it('delivers each event as next; complete stops them and frees the hub', async () => {
    const { connected, hub } = setup();
    const client = await connected();
    await client.send(subscribeMessage('a'));
    expect(hub.stats()).toMatchObject({ groups: 1, subscribers: 1 });
    await hub.dispatch(changeEvent({ entry: articleEntry({ title: 'one' }) }));
    await client.send({ id: 'a', type: 'complete' });
    await hub.dispatch(changeEvent({ entry: articleEntry({ title: 'two' }) }));
    expect(client.of('a')).toEqual([
      { id: 'a', type: 'next', payload: { data: { articleCreated: { title: 'one', category: { name: 'News' } } }, extensions: { cursor: expect.any(String) } } },
    ]);
    expect(hub.stats()).toMatchObject({ groups: 0, subscribers: 0 });
  });

  it('an id in use closes with 4409, also while its subscribe is still being checked', async () => {
    const active = setup();
    const client = await active.connected();
    await client.send(subscribeMessage('1'));
    await client.send(subscribeMessage('1'));
    expect(client.closed).toEqual({ code: 4409, reason: 'Subscriber for 1 already exists' });
    stopProtocol();
    fixture.dispose();

    const gated = gatedHub();
    const pending = setup({}, gated.wrap);
    const other = await pending.connected();
    const first = other.send(subscribeMessage('1'));
    await other.send(subscribeMessage('1'));
    expect(other.closed?.code).toBe(4409);
    gated.release();
    await first;
    await settle();
    expect(pending.hub.stats()).toMatchObject({ groups: 0, subscribers: 0 });
  });

  it('complete during a pending subscribe cancels it: no next, and the hub ends up holding nothing', async () => {
    const gated = gatedHub();
    const { connected, hub, protocol } = setup({}, gated.wrap);
    const client = await connected();
    const subscribing = client.send(subscribeMessage('1'));
    await client.send({ id: '1', type: 'complete' });
    gated.release();
    await subscribing;
    await hub.dispatch(changeEvent());
    expect(client.of('1')).toEqual([]);
    expect(hub.stats()).toMatchObject({ groups: 0, subscribers: 0 });
    expect(protocol.stats()).toEqual({ connections: 1, subscriptions: 0 });
    // The id is free again.
    await client.send(subscribeMessage('1'));
    await hub.dispatch(changeEvent({ entry: articleEntry({ title: 'after' }) }));
    expect(titlesOf(client, '1')).toEqual(['after']);
  });

  it('an id is reusable after complete and after an error', async () => {
    const { connected, hub } = setup();
    const client = await connected();
    await client.send(subscribeMessage('x', 'subscription { articleCreated { nope } }'));
    expect(client.of('x')).toEqual([{ id: 'x', type: 'error', payload: [expect.objectContaining({ message: expect.stringContaining('Cannot query field "nope"') })] }]);
    expect(client.closed).toBeNull();
    await client.send(subscribeMessage('x'));
    await client.send({ id: 'x', type: 'complete' });
    await client.send(subscribeMessage('x'));
    await hub.dispatch(changeEvent());
    expect(titlesOf(client, 'x')).toEqual(['Hello']);
    expect(hub.stats()).toMatchObject({ groups: 1, subscribers: 1 });
  });

  it('filters on private fields do not validate (they are not in the schema)', async () => {
    const { connected } = setup();
    const client = await connected();
    await client.send(subscribeMessage('p', 'subscription { articleCreated(filters: { internalNotes: { eq: "x" } }) { title } }'));
    expect(client.of('p')[0]).toMatchObject({ type: 'error', payload: [{ message: expect.stringContaining('"internalNotes" is not defined by type "ArticleFiltersInput"') }] });
  });

  it('a refusal of the hub (no read permission) is an error for that operation, the connection stays', async () => {
    const { connected, strapi } = setup();
    strapi.grant(PUBLIC_ROLE, []);
    const client = await connected();
    await client.send(subscribeMessage('f'));
    expect(client.of('f')).toEqual([{ id: 'f', type: 'error', payload: [expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })] }]);
    expect(client.closed).toBeNull();
  });

  it('a query is answered with next and complete', async () => {
    const { connected } = setup();
    const client = await connected();
    await client.send(subscribeMessage('q', '{ realtimeSubscriptions }'));
    expect(client.of('q').map((message) => message.type)).toEqual(['next', 'complete']);
    expect(client.of('q')[0].payload.data.realtimeSubscriptions).toContain('articleCreated');
  });

  it('beyond maxSubscriptionsPerConnection a subscribe is refused with an error, not a close', async () => {
    const { connected } = setup({ graphql: { maxSubscriptionsPerConnection: 2 } });
    const client = await connected();
    for (const id of ['1', '2', '3']) await client.send(subscribeMessage(id));
    expect(client.of('3')).toEqual([{ id: '3', type: 'error', payload: [expect.objectContaining({ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } })] }]);
    expect(client.closed).toBeNull();
  });

  it('closing the socket releases every operation, pending ones included', async () => {
    const gated = gatedHub();
    const { connected, hub, protocol } = setup({}, gated.wrap);
    const client = await connected();
    const pending = client.send(subscribeMessage('pending'));
    client.disconnect();
    gated.release();
    await pending;
    expect(hub.stats()).toMatchObject({ groups: 0, subscribers: 0 });
    expect(protocol.stats()).toEqual({ connections: 0, subscriptions: 0 });

    const { connected: connectedAgain, hub: hubAgain, protocol: protocolAgain } = setup();
    const another = await connectedAgain();
    await another.send(subscribeMessage('1'));
    await another.send(subscribeMessage('2', 'subscription { categoryCreated { name } }'));
    expect(hubAgain.stats()).toMatchObject({ groups: 2, subscribers: 2 });
    another.disconnect();
    expect(hubAgain.stats()).toMatchObject({ groups: 0, subscribers: 0 });
    expect(protocolAgain.stats()).toEqual({ connections: 0, subscriptions: 0 });
  });
});

describe('the rest of the wire', () => {
  it('ping is answered with pong (payload echoed), pong with nothing', async () => {
    const { connect } = setup();
    const client = connect();
    await client.send({ type: 'ping' });
    await client.send({ type: 'ping', payload: { at: 1 } });
    await client.send({ type: 'pong' });
    expect(client.messages).toEqual([{ type: 'pong' }, { type: 'pong', payload: { at: 1 } }]);
  });

  it.each([
    ['text that is not JSON', '{not json'],
    ['an unknown type', { type: 'hello' }],
    ['a subscribe without id', { type: 'subscribe', payload: { query: CREATED } }],
    ['a server-only message', { type: 'next', id: '1', payload: {} }],
  ])('%s closes with 4400', async (_what, frame) => {
    const { connected } = setup();
    const client = await connected();
    await client.send(frame);
    expect(client.closed?.code).toBe(4400);
  });

  it('a consumer over maxBufferedBytes is closed with 1013 instead of queueing more', async () => {
    const { connected, hub, monitor } = setup({ graphql: { maxBufferedBytes: 1000 } });
    const slow = await connected();
    const fast = await connected();
    await slow.send(subscribeMessage('1'));
    await fast.send(subscribeMessage('1'));
    slow.socket.bufferedAmount = 1001;
    await hub.dispatch(changeEvent());
    expect(slow.closed).toEqual({ code: 1013, reason: 'Slow consumer: too many undelivered messages' });
    expect(slow.of('1')).toEqual([]);
    expect(titlesOf(fast, '1')).toEqual(['Hello']);
    expect(monitor.counters().slowClientCloses['graphql-ws']).toBe(1);
    await settle();
    expect(hub.stats()).toMatchObject({ subscribers: 1 });
  });

  it('over the global budget (every connection together) the connections holding the most are closed with 1013', async () => {
    const { connected, backlog, monitor } = setup({ delivery: { maxBufferedBytes: 5000 } });
    const [small, large, larger] = [await connected(), await connected(), await connected()];
    small.socket.bufferedAmount = 1000;
    large.socket.bufferedAmount = 3000;
    larger.socket.bufferedAmount = 4000;
    // 8,000 held: closing the largest leaves 4,000, within 5,000.
    expect(backlog.check()).toBe(4000);
    expect(larger.closed).toEqual({ code: 1013, reason: 'Slow consumer: too many undelivered messages' });
    expect(large.closed).toBeNull();
    expect(small.closed).toBeNull();
    expect(monitor.counters().slowClientCloses['graphql-ws']).toBe(1);
    expect(backlog.stats()).toEqual({ bufferedBytes: 4000, shed: 1 });
  });
});

describe('revocation', () => {
  it('a blocked user is closed with 4403 on every connection of theirs; others stay', async () => {
    const { connected, strapi, hub } = setup();
    const token = strapi.userToken(1);
    const tabs = [await connected({ authorization: token }), await connected({ authorization: token })];
    const other = await connected({ authorization: strapi.userToken(2) });
    for (const client of [...tabs, other]) await client.send(subscribeMessage('1'));
    const authentications = strapi.calls.authenticate;

    strapi.users.get(1)!.blocked = true;
    strapi.lifecycle({ model: { uid: 'plugin::users-permissions.user' }, action: 'afterUpdate', params: { data: { blocked: true } }, result: { id: 1 } });
    await vi.waitFor(() => expect(tabs.map((tab) => tab.closed)).toEqual([0, 1].map(() => ({ code: 4403, reason: 'Forbidden: The user is blocked (USER_BLOCKED)' }))));
    expect(other.closed).toBeNull();
    // One re-check for the credential both tabs hold.
    expect(strapi.calls.authenticate! - authentications!).toBe(1);
    await settle();
    expect(hub.stats()).toMatchObject({ subscribers: 1 });
  });

  it('a revoked API token is closed with 4403', async () => {
    const { connected, strapi } = setup();
    const client = await connected({ token: strapi.apiToken(5, 'read-only') });
    strapi.apiTokens.delete(5);
    strapi.lifecycle({ model: { uid: 'admin::api-token' }, action: 'afterDelete', result: { id: 5 } });
    await vi.waitFor(() => expect(client.closed?.code).toBe(4403));
  });

  it('a user moved to another role keeps its operations, regrouped under the new audience', async () => {
    const { connected, strapi, hub } = setup();
    // Editors may read articles but not categories: their payloads lose the relation.
    strapi.grant(EDITOR_ROLE, [`${ARTICLE}.find`]);
    const client = await connected({ authorization: strapi.userToken(1) });
    await client.send(subscribeMessage('1'));
    await hub.dispatch(changeEvent({ entry: articleEntry({ title: 'before' }) }));

    strapi.users.get(1)!.roleId = EDITOR_ROLE;
    strapi.lifecycle({ model: { uid: 'plugin::users-permissions.user' }, action: 'afterUpdate', params: { data: { role: EDITOR_ROLE } }, result: { id: 1 } });
    await vi.waitFor(() => expect(hub.stats()).toMatchObject({ groups: 1, subscribers: 1, audiences: 1 }));
    await vi.waitFor(async () => {
      await hub.dispatch(changeEvent({ entry: articleEntry({ title: 'probe' }) }));
      expect(client.of('1').at(-1)?.payload.data.articleCreated.category).toBeNull();
    });
    expect(client.closed).toBeNull();
    expect(client.of('1')[0].payload.data.articleCreated).toEqual({ title: 'before', category: { name: 'News' } });
  });
});
