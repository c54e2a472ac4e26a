import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { createApiToken, grant, registerUser, type TestApiToken } from '../harness/principals';
import { expectOk, rest } from '../harness/rest';
import { closeAllClients, connectClient, connectRefused, emitWithAck } from '../harness/socket-client';
import { waitFor } from '../harness/wait';
import { ARTICLE, READ_ARTICLES } from '../harness/permission-matrix';

describe('hostile Socket.IO clients (real example app)', () => {
  let app: ExampleApp;
  let admin: TestApiToken;
  const resources = () => (app.strapi.plugin('realtime').service('realtime') as { getResourceStats(): Record<string, number> }).getResourceStats();
  const serverSocket = (id: string) => (app.strapi as unknown as { $io: { server: { sockets: { sockets: Map<string, { data: any }> } } } }).$io.server.sockets.sockets.get(id);

  beforeAll(async () => {
    app = await bootExample({ realtimeConfig: { drafts: false, graphql: { enabled: false }, limits: { maxConnectionsPerAddress: 3 } } });
    admin = await createApiToken(app.strapi, 'full-access');
    await grant(app.strapi, 'public', READ_ARTICLES);
  });
  afterAll(async () => {
    closeAllClients();
    await app?.stop();
  });

  it('accepts auth.token as "Bearer <jwt>" (the user, not Public) and refuses a token Strapi cannot parse', async () => {
    const user = await registerUser(app);
    const socket = await connectClient(app, { auth: { token: `Bearer ${user.jwt}` } });
    expect(serverSocket(socket.id!)?.data.user?.id).toBe(user.id);
    socket.close();
    const refused = await connectRefused(app, { auth: { token: 'Bearer two words' } });
    expect(refused.data?.code).toBe('INVALID_TOKEN');
  });

  it('never confirms a draft-only document by id when drafts are off', async () => {
    const socket = await connectClient(app);
    const draft = expectOk(await rest(app, 'POST', '/api/articles?status=draft', { token: admin.accessKey, body: { data: { title: 'draft only' } } }), 'draft').data;
    expect(await emitWithAck(socket, 'subscribe-entity', { uid: ARTICLE, documentId: draft.documentId })).toEqual({ success: false, error: 'Entity not found' });
    expect(await emitWithAck(socket, 'subscribe-entity', { uid: ARTICLE, id: draft.id })).toEqual({ success: false, error: 'Entity not found' });
    const published = expectOk(await rest(app, 'POST', '/api/articles', { token: admin.accessKey, body: { data: { title: 'published' } } }), 'published').data;
    expect(await emitWithAck(socket, 'subscribe-entity', { uid: ARTICLE, documentId: published.documentId })).toMatchObject({ success: true });
    socket.close();
  });

  it('limits sockets per client address with connect_error TOO_MANY_CONNECTIONS_FROM_ADDRESS; a disconnect frees the place', async () => {
    await waitFor(() => resources().connectionTickets === 0, 'earlier sockets released');
    const sockets = [await connectClient(app), await connectClient(app), await connectClient(app)];
    const refused = await connectRefused(app);
    expect(refused.data?.code).toBe('TOO_MANY_CONNECTIONS_FROM_ADDRESS');
    sockets.pop()!.close();
    await waitFor(() => resources().connectionTickets === 2, 'the place freed');
    sockets.push(await connectClient(app));
    for (const socket of sockets) socket.close();
  });

  it('after every client leaves, sockets, rooms and connection tickets read zero', async () => {
    closeAllClients();
    await waitFor(() => {
      const stats = resources();
      return stats.connections === 0 && stats.subscriptions === 0 && stats.socketIoRooms === 0 && stats.connectionTickets === 0;
    }, 'all resources released');
  });
});
