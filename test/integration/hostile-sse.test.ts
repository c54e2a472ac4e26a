import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { blockUser, createApiToken, createRole, deleteApiToken, grant, registerUser, type TestApiToken } from '../harness/principals';
import { expectOk, rest } from '../harness/rest';
import { openEventStream } from '../harness/raw-sse';
import { settle, waitFor } from '../harness/wait';
import { READ_ARTICLES, READ_EVERYTHING } from '../harness/permission-matrix';
import { fragmentBomb } from '../harness/hostile-documents';

const CREATED = 'subscription { articleCreated { title } }';
const STREAM = '/graphql/stream';

describe('hostile GraphQL over SSE clients (real example app)', () => {
  let app: ExampleApp;
  let admin: TestApiToken;
  const sse = () => (app.strapi.plugin('realtime').service('realtime') as { getTransportStats(): any[] }).getTransportStats().find((row) => row.transport === 'graphql-sse');
  const resources = () => (app.strapi.plugin('realtime').service('realtime') as { getResourceStats(): Record<string, number> }).getResourceStats();
  const http = (method: string, options: { headers?: Record<string, string>; body?: unknown; query?: string } = {}) =>
    fetch(`${app.httpUrl}${STREAM}${options.query ?? ''}`, {
      method,
      headers: { ...(options.body ? { 'content-type': 'application/json' } : {}), ...options.headers },
      body: options.body ? JSON.stringify(options.body) : undefined,
    });
  const reserve = async (headers: Record<string, string> = {}) => {
    const response = await http('PUT', { headers });
    expect(response.status).toBe(201);
    return response.text();
  };
  const createArticle = async (data: Record<string, unknown>) =>
    expectOk(await rest(app, 'POST', '/api/articles', { token: admin.accessKey, body: { data } }), 'create article').data;

  beforeAll(async () => {
    app = await bootExample({
      realtimeConfig: {
        socket: { enabled: false },
        graphql: { sseReservationTimeoutMs: 600, maxBufferedBytes: 256 * 1024, maxSubscriptionsPerConnection: 5 },
        limits: { maxConnectionsPerAddress: 20 },
      },
    });
    admin = await createApiToken(app.strapi, 'full-access');
    await grant(app.strapi, 'public', READ_EVERYTHING);
  });
  afterAll(async () => app?.stop());

  it('a reservation that is never opened expires with every operation posted to it', async () => {
    const token = await reserve();
    for (let i = 0; i < 5; i++) {
      const posted = await http('POST', { headers: { 'x-graphql-event-stream-token': token }, body: { query: CREATED, extensions: { operationId: `op${i}` } } });
      expect(posted.status).toBe(202);
    }
    expect(sse()).toMatchObject({ connections: 1, subscriptions: 5 });
    // The sixth is over the per-stream cap.
    const sixth = await http('POST', { headers: { 'x-graphql-event-stream-token': token }, body: { query: CREATED, extensions: { operationId: 'op5' } } });
    expect(sixth.status).toBe(400);
    await waitFor(() => sse().connections === 0 && sse().subscriptions === 0, 'the reservation to expire', 3000);
    expect(resources()).toMatchObject({ connectionTickets: 0, subscriptions: 0, groups: 0 });
    // Gone for good: opening it now is "not found".
    const late = await openEventStream(app, { method: 'GET', headers: { 'x-graphql-event-stream-token': token } });
    expect(late.status).toBe(404);
  });

  it('a reserved stream belongs to the credential that reserved it: another one (or none) gets 404', async () => {
    const reader = await createRole(app.strapi, 'SSE readers', READ_ARTICLES);
    const owner = await registerUser(app, { roleId: reader.id });
    const other = await registerUser(app, { roleId: reader.id });
    const token = await reserve({ authorization: `Bearer ${owner.jwt}` });
    for (const headers of [{}, { authorization: `Bearer ${other.jwt}` }] as Record<string, string>[]) {
      const opened = await openEventStream(app, { method: 'GET', headers: { ...headers, 'x-graphql-event-stream-token': token } });
      expect(opened.status).toBe(404);
      const posted = await http('POST', { headers: { ...headers, 'x-graphql-event-stream-token': token }, body: { query: CREATED, extensions: { operationId: 'steal' } } });
      expect(posted.status).toBe(404);
    }
    const stream = await openEventStream(app, { method: 'GET', headers: { authorization: `Bearer ${owner.jwt}`, 'x-graphql-event-stream-token': token } });
    expect(stream.status).toBe(200);
    const posted = await http('POST', { headers: { authorization: `Bearer ${owner.jwt}`, 'x-graphql-event-stream-token': token }, body: { query: CREATED, extensions: { operationId: 'mine' } } });
    expect(posted.status).toBe(202);
    await settle(100);
    await createArticle({ title: 'for the owner' });
    const next = await stream.waitForEvent((e) => e.event === 'next', 'the owner\'s event');
    expect(next.data).toEqual({ id: 'mine', payload: { data: { articleCreated: { title: 'for the owner' } }, extensions: { cursor: expect.any(String) } } });
    stream.abort();
    await waitFor(() => sse().connections === 0, 'the stream released');
  });

  it('refuses documents over the ceilings with 400 before anything is cached or executed', async () => {
    const bomb = await openEventStream(app, { body: { query: fragmentBomb(21) } });
    expect(bomb.status).toBe(400);
    const big = await openEventStream(app, { body: { query: `subscription { articleCreated { title } } # ${'x'.repeat(70_000)}` } });
    expect(big.status).toBe(400);
    expect(resources()).toMatchObject({ connectionTickets: 0, subscriptions: 0 });
  });

  it('ends the stream of a reader that stops reading instead of buffering without bound', async () => {
    // A raw request whose response is never read: its socket buffer fills, then the server's.
    const paused = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      const outgoing = request(`${app.httpUrl}${STREAM}`, { method: 'POST', headers: { accept: 'text/event-stream', 'content-type': 'application/json' } }, (response) => {
        response.pause();
        resolve(response);
      });
      outgoing.on('error', reject);
      outgoing.end(JSON.stringify({ query: 'subscription { articleCreated { title body } }' }));
    });
    expect(paused.statusCode).toBe(200);
    await waitFor(() => sse().subscriptions === 1, 'the subscription');
    const body = 'x'.repeat(400 * 1024);
    for (let i = 0; i < 40 && sse().connections > 0; i++) await createArticle({ title: `big ${i}`, body });
    await waitFor(() => sse().connections === 0, 'the slow reader to be cut off', 10_000);
    expect(resources()).toMatchObject({ connectionTickets: 0, subscriptions: 0 });
    paused.destroy();
  });

  it('a blocked user, a revoked token and a role change reach SSE streams as they reach WebSockets', async () => {
    const readers = await createRole(app.strapi, 'SSE revocation readers', READ_ARTICLES);
    const nobody = await createRole(app.strapi, 'SSE nobody', []);
    const blocked = await registerUser(app, { roleId: readers.id });
    const demoted = await registerUser(app, { roleId: readers.id });
    const token = await createApiToken(app.strapi, 'read-only');
    const open = (credential: string) => openEventStream(app, { headers: { authorization: `Bearer ${credential}` }, body: { query: CREATED } });
    const ofBlocked = await open(blocked.jwt);
    const ofToken = await open(token.accessKey);
    const ofDemoted = await open(demoted.jwt);
    await waitFor(() => sse().subscriptions === 3, 'three subscriptions');

    await blockUser(app.strapi, blocked.id);
    await ofBlocked.waitForEnd();
    await deleteApiToken(app.strapi, token.id);
    await ofToken.waitForEnd();
    await app.strapi.db.query('plugin::users-permissions.user').update({ where: { id: demoted.id }, data: { role: nobody.id } });
    const refused = await ofDemoted.waitForEvent((e) => e.event === 'next', 'the regrouped operation to be refused');
    expect(refused.data.errors[0].extensions.code).toBe('FORBIDDEN');
    await ofDemoted.waitForEnd();

    await createArticle({ title: 'after the revocations' });
    await settle();
    for (const stream of [ofBlocked, ofToken, ofDemoted]) {
      expect(stream.events.filter((e) => e.event === 'next' && e.data?.data)).toEqual([]);
    }
    await waitFor(() => resources().connectionTickets === 0 && resources().subscriptions === 0, 'everything released');
  });

  it('limits streams and reservations per client address with HTTP 429', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 20; i++) tokens.push(await reserve());
    expect((await http('PUT')).status).toBe(429);
    expect((await openEventStream(app, { body: { query: CREATED } })).status).toBe(429);
    await waitFor(() => resources().connectionTickets === 0, 'the reservations to expire', 3000);
    expect((await http('PUT')).status).toBe(201);
  });
});
