/**
 * The admin API behind the Realtime page, over real HTTP with real admin sessions: who may read it (Strapi RBAC,
 * `plugin::realtime.read`), what it answers (live figures that follow real clients, the event log without field
 * values, the configuration with secrets masked), and that content-API credentials get nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { createApiToken, grant, registerUser, type TestApiToken } from '../harness/principals';
import { expectOk, rest } from '../harness/rest';
import { connectWs } from '../harness/graphql-clients';
import { closeAllClients, connectClient } from '../harness/socket-client';
import { READ_EVERYTHING } from '../harness/permission-matrix';
import { adminLogin, createAdminUser, grantAdminPermission, type AdminUser } from '../harness/admin-users';
import { waitFor } from '../harness/wait';

const METRICS_TOKEN = 'admin-api-test-metrics-token-0123';
const READ_ACTION = 'plugin::realtime.read';

describe('Realtime admin API (/realtime/overview, /realtime/config)', () => {
  let app: ExampleApp;
  let writer: TestApiToken;
  let superAdmin: AdminUser;
  let superAdminToken: string;
  const clients: { dispose(): void }[] = [];

  const overview = async (token: string | null = superAdminToken) => rest(app, 'GET', '/realtime/overview', { token });

  beforeAll(async () => {
    app = await bootExample({
      realtimeConfig: {
        metrics: { enabled: true, token: METRICS_TOKEN },
        socket: { serverOptions: { cors: { origin: 'https://front.example', credentials: true } } },
      },
    });
    writer = await createApiToken(app.strapi, 'full-access');
    await grant(app.strapi, 'public', READ_EVERYTHING);
    superAdmin = await createAdminUser(app.strapi, 'strapi-super-admin');
    superAdminToken = await adminLogin(app, superAdmin);
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.dispose();
    closeAllClients();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('registers plugin::realtime.read with Strapi RBAC, and Super Admin has it', async () => {
    const sections = expectOk(await rest(app, 'GET', '/admin/permissions', { token: superAdminToken }), 'permission sections').data.sections;
    expect(sections.plugins).toEqual(expect.arrayContaining([expect.objectContaining({ action: READ_ACTION, plugin: 'realtime', displayName: 'Read the Realtime page' })]));
    const mine = expectOk(await rest(app, 'GET', '/admin/users/me/permissions', { token: superAdminToken }), 'my permissions').data;
    expect(mine.map((permission: { action: string }) => permission.action)).toContain(READ_ACTION);
    expect((await overview()).status).toBe(200);
  });

  it('refuses an admin role without the permission, until it is granted', async () => {
    const editor = await createAdminUser(app.strapi, 'strapi-editor');
    const token = await adminLogin(app, editor);
    const mine = expectOk(await rest(app, 'GET', '/admin/users/me/permissions', { token }), 'editor permissions').data;
    expect(mine.map((permission: { action: string }) => permission.action)).not.toContain(READ_ACTION);
    expect((await overview(token)).status).toBe(403);
    expect((await rest(app, 'GET', '/realtime/config', { token })).status).toBe(403);

    await grantAdminPermission(app.strapi, editor.roleId, READ_ACTION);
    expect((await overview(token)).status).toBe(200);
    expect((await rest(app, 'GET', '/realtime/config', { token })).status).toBe(200);
  });

  it('gives nothing to content-API credentials (API tokens, users-permissions JWTs) or anonymous callers', async () => {
    const user = await registerUser(app);
    const readOnly = await createApiToken(app.strapi, 'read-only');
    for (const [who, token] of [
      ['anonymous', null],
      ['full-access API token', writer.accessKey],
      ['read-only API token', readOnly.accessKey],
      ['users-permissions JWT', user.jwt],
      ['metrics token', METRICS_TOKEN],
    ] as const) {
      for (const path of ['/realtime/overview', '/realtime/config']) {
        const response = await rest(app, 'GET', path, { token });
        expect(response.status, `${who} ${path}`).toBe(401);
        expect(JSON.stringify(response.body)).not.toContain('transports');
      }
    }
  });

  it('shows live connections per transport and the event log with reach, never field values', async () => {
    const before = expectOk(await overview(), 'overview').data;
    const count = (data: typeof before, transport: string) => data.transports.find((row: { transport: string }) => row.transport === transport)?.connections;
    expect(count(before, 'graphql-ws')).toBe(0);
    expect(before.endpoints).toEqual({
      graphqlWs: '/graphql',
      graphqlSse: '/graphql/stream',
      graphiql: '/graphql/stream',
      sdl: '/graphql/schema.graphql',
      socketIo: '/socket.io',
      metrics: '/realtime/metrics',
    });
    expect(before.series.windowSeconds).toBe(300);
    expect(before.series.points).toHaveLength(300);

    const ws = connectWs(app);
    clients.push(ws);
    const created = ws.subscribe(`subscription { articleCreated { documentId title } }`);
    await connectClient(app);
    const live = await waitFor(async () => {
      const data = expectOk(await overview(), 'overview').data;
      return count(data, 'graphql-ws') === 1 && count(data, 'socket.io') === 1 && data;
    }, 'the overview to count both clients');
    expect(live.transports.find((row: { transport: string }) => row.transport === 'graphql-ws')).toMatchObject({ subscriptions: 1, groups: 1, audiences: 1 });

    const article = expectOk(
      await rest(app, 'POST', '/api/articles', { token: writer.accessKey, body: { data: { title: 'Field value that must not show', internalNotes: 'PRIVATE NOTE' } } }),
      'create',
    ).data;
    await created.waitForResults(1);
    const after = await waitFor(async () => {
      const data = expectOk(await overview(), 'overview').data;
      return data.recentEvents[0]?.documentId === article.documentId && data.recentEvents[0].subscribers === 2 && data;
    }, 'the event in the log with its reach');
    expect(after.recentEvents[0]).toEqual({
      id: expect.any(String),
      uid: 'api::article.article',
      action: 'created',
      documentId: article.documentId,
      locale: null,
      status: 'published',
      at: expect.any(String),
      audiences: 1,
      subscribers: 2,
      subscribersByTransport: { 'graphql-ws': 1, 'graphql-sse': 0, 'socket.io': 1 },
    });
    expect(after.eventsCaptured).toBeGreaterThanOrEqual(1);
    expect(after.deliveries['graphql-ws']).toBeGreaterThanOrEqual(1);
    expect(after.latency['graphql-ws'].p50).toEqual(expect.any(Number));
    expect(after.series.points.reduce((sum: number, point: { events: number }) => sum + point.events, 0)).toBeGreaterThanOrEqual(1);
    const text = JSON.stringify(after);
    expect(text).not.toContain('Field value that must not show');
    expect(text).not.toContain('PRIVATE NOTE');
  });

  it('shows the effective configuration read-only with secrets masked', async () => {
    const config = expectOk(await rest(app, 'GET', '/realtime/config', { token: superAdminToken }), 'config').data;
    expect(config.metrics).toEqual({ enabled: true, path: '/realtime/metrics', token: '********', defaultMetrics: true });
    // An explicit `cors` is kept as given (no defaults merged into it: without one, Socket.IO follows strapi::cors).
    expect(config.socket.serverOptions.cors).toEqual({ origin: 'https://front.example', credentials: true });
    expect(config.contentTypes.map((entry: { uid: string }) => entry.uid)).toEqual(
      expect.arrayContaining(['api::article.article', 'api::category.category', 'api::homepage.homepage']),
    );
    expect(JSON.stringify(config)).not.toContain(METRICS_TOKEN);
    // Read-only: there is no route that writes it.
    const write = await fetch(`${app.httpUrl}/realtime/config`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${superAdminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ drafts: false }),
    });
    expect(write.status).toBe(405);
  });
});
