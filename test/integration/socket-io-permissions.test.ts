/**
 * The shared permission matrix over the Socket.IO transport, plus what changes while a socket is connected
 * (revoked permissions, blocked users, role changes, expiring credentials) and the per-audience cost.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { bootExample, type ExampleApp } from '../harness/example-app';
import {
  ARTICLE,
  PERMISSION_MATRIX,
  READ_ARTICLES,
  createMatrixFixtures,
  findLeaks,
  resetPublicRole,
} from '../harness/permission-matrix';
import {
  blockUser,
  createApiToken,
  createRole,
  deleteApiToken,
  grant,
  issueJwt,
  registerUser,
  revoke,
} from '../harness/principals';
import { closeAllClients, collect, connectClient, connectRefused, nextEvent, type ClientOptions } from '../harness/socket-client';
import { settle, waitFor } from '../harness/wait';

describe('Socket.IO: the permission matrix and permission changes (real example app)', () => {
  let app: ExampleApp;
  let fixtures: Awaited<ReturnType<typeof createMatrixFixtures>>;
  /** A full-access token's socket: it receives every article event, so "nothing arrived" is checked after it did. */
  let witness: Socket;
  let witnessToken: string;
  const socketStats = () =>
    (app.strapi.plugin('realtime').service('realtime') as any).getTransportStats().find((s: any) => s.transport === 'socket.io');

  const credentialOptions = (token: string | null): ClientOptions =>
    token === null ? {} : { auth: { strategy: token.split('.').length === 3 ? 'jwt' : 'api-token', token } };

  /** Publishes an article; resolves with what `socket` received for it once the witness has it too. */
  const publishAndObserve = async (socket: Socket, title: string) => {
    const received = collect(socket, 'article:create');
    const seen = collect(witness, 'article:create');
    const documentId = await fixtures.publishArticle(title);
    await waitFor(() => seen.items.some((p) => p.documentId === documentId), `the witness to receive ${title}`);
    await settle(150);
    received.stop();
    seen.stop();
    return received.items.filter((payload) => payload.documentId === documentId);
  };

  beforeAll(async () => {
    app = await bootExample({
      realtimeConfig: {
        contentTypes: [
          { uid: ARTICLE, populate: '*' },
          'api::category.category',
          'api::tag.tag',
          'api::homepage.homepage',
        ],
      },
    });
    fixtures = await createMatrixFixtures(app);
    witnessToken = (await createApiToken(app.strapi, 'full-access')).accessKey;
  });
  beforeEach(async () => {
    witness = await connectClient(app, credentialOptions(witnessToken));
  });
  afterEach(() => closeAllClients());
  afterAll(() => app?.stop());

  describe('the matrix', () => {
    for (const row of PERMISSION_MATRIX) {
      it(row.name, async () => {
        await resetPublicRole(app);
        const credential = await row.prepare(app);
        if (row.refused) {
          const error = await connectRefused(app, credentialOptions(credential));
          expect(error.data?.code).toBe(row.refused);
          expect(error.message).toEqual(expect.any(String));
          expect(error.message.length).toBeGreaterThan(0);
          return;
        }
        const socket = await connectClient(app, credentialOptions(credential));
        try {
          const payloads = await publishAndObserve(socket, `Matrix ${row.name}`);
          if (!row.receives) {
            expect(payloads).toEqual([]);
            return;
          }
          expect(payloads).toHaveLength(1);
          const [payload] = payloads;
          expect(payload.title).toBe(`Matrix ${row.name}`);
          expect(findLeaks(payload)).toEqual([]);
          expect(Boolean(payload.author)).toBe(Boolean(row.seesAuthor));
          expect(Boolean(payload.category)).toBe(Boolean(row.seesCategory));
          if (payload.author) expect(Object.keys(payload.author)).not.toContain('password');
        } finally {
          socket.close();
        }
      });
    }
  });

  it('drafts are never delivered, not even to a full-access token', async () => {
    await resetPublicRole(app);
    await grant(app.strapi, 'public', READ_ARTICLES);
    const anonymous = await connectClient(app);
    const events = ['article:create', 'article:update', 'article:publish'];
    const seen = events.flatMap((event) => [collect(anonymous, event), collect(witness, event)]);
    const documentId = await fixtures.createDraft('Only a draft');
    await app.strapi.documents(ARTICLE as never).update({ documentId, data: { title: 'Still a draft' } } as never);
    await settle(400);
    expect(seen.flatMap((recorded) => recorded.items)).toEqual([]);
    // Publishing it is the first thing the wire hears about it.
    const published = collect(anonymous, 'article:publish');
    await app.strapi.documents(ARTICLE as never).publish({ documentId } as never);
    await published.atLeast(1);
    expect(published.items[0]).toMatchObject({ documentId, title: 'Still a draft' });
    expect(findLeaks(published.items[0])).toEqual([]);
  });

  it('a permission revoked while connected stops delivery at once (grant → receive → revoke → nothing)', async () => {
    await resetPublicRole(app);
    await grant(app.strapi, 'public', READ_ARTICLES);
    const anonymous = await connectClient(app);
    expect(await publishAndObserve(anonymous, 'Before revoke')).toHaveLength(1);
    await revoke(app.strapi, 'public', READ_ARTICLES);
    expect(await publishAndObserve(anonymous, 'After revoke')).toEqual([]);
    await grant(app.strapi, 'public', READ_ARTICLES);
    expect(await publishAndObserve(anonymous, 'After re-grant')).toHaveLength(1);
    expect(anonymous.connected).toBe(true);
  });

  it('entity subscriptions are dropped when their audience loses READ', async () => {
    await resetPublicRole(app);
    await grant(app.strapi, 'public', READ_ARTICLES);
    const documentId = await fixtures.publishArticle('Watched then hidden');
    const anonymous = await connectClient(app);
    const $io = (app.strapi as any).$io;
    expect(await $io.subscribeToEntity(anonymous.id, ARTICLE, documentId)).toMatchObject({ success: true });
    await revoke(app.strapi, 'public', READ_ARTICLES);
    await waitFor(() => $io.getEntitySubscriptions(anonymous.id).subscriptions.length === 0, 'the subscription dropped');
    expect(anonymous.connected).toBe(true);
  });

  it('a user blocked while connected is told why and disconnected; other sockets stay', async () => {
    await grant(app.strapi, 'authenticated', READ_ARTICLES);
    const user = await registerUser(app);
    const bystander = await registerUser(app);
    const socket = await connectClient(app, { auth: { strategy: 'jwt', token: user.jwt } });
    const other = await connectClient(app, { auth: { strategy: 'jwt', token: bystander.jwt } });
    const error = nextEvent(socket, 'error');
    const disconnected = nextEvent<string>(socket, 'disconnect');
    await blockUser(app.strapi, user.id);
    expect(await error).toMatchObject({ code: 'USER_BLOCKED' });
    expect(await disconnected).toBe('io server disconnect');
    expect(await publishAndObserve(other, 'Bystander still served')).toHaveLength(1);
    // And the blocked user cannot come back.
    expect((await connectRefused(app, { auth: { token: user.jwt } })).data?.code).toBe('USER_BLOCKED');
  });

  it("a user's role change moves the socket to the new role's audience room", async () => {
    await revoke(app.strapi, 'authenticated', READ_ARTICLES);
    const reader = await createRole(app.strapi, 'Moved Reader', READ_ARTICLES);
    const user = await registerUser(app);
    const socket = await connectClient(app, { auth: { strategy: 'jwt', token: user.jwt } });
    expect(await publishAndObserve(socket, 'Before the role change')).toEqual([]);

    await app.strapi.db.query('plugin::users-permissions.user').update({ where: { id: user.id }, data: { role: reader.id } });
    const $io = (app.strapi as any).$io;
    await waitFor(async () => (await $io.getSocketsInRoom('Moved Reader')).some((s: any) => s.id === socket.id), 'the socket in the new role room');
    expect(await publishAndObserve(socket, 'After the role change')).toHaveLength(1);
    const [info] = (await $io.getSocketsInRoom('io-role-moved-reader')).filter((s: any) => s.id === socket.id);
    expect(info).toMatchObject({ userId: user.id, role: 'Moved Reader', user: { id: user.id, role: 'Moved Reader' } });
    expect(info.rooms).not.toContain('Authenticated');
  });

  it('an API token deleted while connected disconnects its sockets', async () => {
    const token = await createApiToken(app.strapi, 'read-only');
    const socket = await connectClient(app, { auth: { strategy: 'api-token', token: token.accessKey } });
    const error = nextEvent(socket, 'error');
    const disconnected = nextEvent<string>(socket, 'disconnect');
    await deleteApiToken(app.strapi, token.id);
    expect((await error).code).toMatch(/INVALID_TOKEN|TOKEN_REVOKED/);
    expect(await disconnected).toBe('io server disconnect');
  });

  it('a JWT that expires while connected disconnects the socket with TOKEN_EXPIRED', async () => {
    const user = await registerUser(app);
    const socket = await connectClient(app, { auth: { token: issueJwt(app.strapi, user.id, 2) } });
    const error = nextEvent(socket, 'error', 4000);
    const disconnected = nextEvent<string>(socket, 'disconnect', 4000);
    expect(await error).toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect(await disconnected).toBe('io server disconnect');
  });

  it('sanitizing costs one call per audience, not per socket (5 sockets, 2 audiences)', async () => {
    await resetPublicRole(app);
    await grant(app.strapi, 'public', READ_ARTICLES);
    const token = await createApiToken(app.strapi, 'read-only');
    witness.close();
    const sockets = [
      ...(await Promise.all([1, 2, 3].map(() => connectClient(app)))),
      ...(await Promise.all([1, 2].map(() => connectClient(app, { auth: { strategy: 'api-token', token: token.accessKey } })))),
    ];
    // Sockets of earlier tests are gone (their audiences would count too).
    await waitFor(() => socketStats().connections === 5, 'only the five sockets connected');
    expect(socketStats()).toMatchObject({ connections: 5, audiences: 2, groups: 2 });

    const service = app.strapi.plugin('realtime').service('realtime') as { getPipelineStats(): { sanitizeCalls: number } };
    const recorded = sockets.map((socket) => collect(socket, 'article:create'));
    const before = service.getPipelineStats().sanitizeCalls;
    await fixtures.publishArticle('Cost per audience');
    for (const r of recorded) await r.atLeast(1);
    await settle(200);
    expect(service.getPipelineStats().sanitizeCalls - before).toBe(2);
    expect(recorded.map((r) => r.items.length)).toEqual([1, 1, 1, 1, 1]);
  });
});
