/**
 * The Socket.IO transport against the real example app with real socket.io-client sockets: handshakes,
 * content events, entity subscriptions, `strapi.$io`, the monitoring service, and legacy README clients.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io as readmeIo, type Socket } from 'socket.io-client';
import { bootExample, type ExampleApp } from '../harness/example-app';
import {
  blockUser,
  createApiToken,
  createRole,
  expireApiToken,
  grant,
  issueJwt,
  registerUser,
  type TestUser,
} from '../harness/principals';
import { findLeaks } from '../harness/permission-matrix';
import { expectOk, rest } from '../harness/rest';
import {
  closeAllClients,
  collect,
  connectClient,
  connectRefused,
  createClient,
  emitWithAck,
  expectNone,
  nextEvent,
} from '../harness/socket-client';
import { settle, waitFor } from '../harness/wait';

const ARTICLE = 'api::article.article';
const CATEGORY = 'api::category.category';
const TAG = 'api::tag.tag';

describe('Socket.IO transport (real example app, real socket.io-client)', () => {
  let app: ExampleApp;
  let $io: any;
  const documents = (uid: string) => app.strapi.documents(uid as never) as any;
  const roomsOf = async (socket: Socket) => {
    const [info] = (await $io.getSocketsInRoom(socket.id)) as { rooms: string[] }[];
    return info?.rooms ?? [];
  };
  const infoOf = async (socket: Socket) => ((await $io.getSocketsInRoom(socket.id)) as any[])[0];

  beforeAll(async () => {
    app = await bootExample({
      realtimeConfig: {
        contentTypes: [{ uid: ARTICLE, populate: ['category'] }, CATEGORY, TAG, 'api::homepage.homepage'],
        socket: { maxEntitySubscriptions: 3 },
      },
    });
    $io = (app.strapi as any).$io;
    // Anonymous visitors may read articles and categories, not tags.
    await grant(app.strapi, 'public', [`${ARTICLE}.find`, `${ARTICLE}.findOne`, `${CATEGORY}.find`, `${CATEGORY}.findOne`]);
  });
  afterEach(() => closeAllClients());
  afterAll(() => app?.stop());

  describe('handshakes', () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await registerUser(app);
    });

    it('no credentials: the Public role, in its audience room and plugin-io\'s role rooms', async () => {
      const socket = await connectClient(app);
      const rooms = await roomsOf(socket);
      expect(rooms).toEqual(expect.arrayContaining(['Public', 'io-role-public']));
      expect(rooms.some((room) => room.startsWith('realtime:audience:role:'))).toBe(true);
      expect(await infoOf(socket)).toMatchObject({ user: null, role: 'Public' });
    });

    const userStyles: [string, (jwt: string) => object][] = [
      ['plugin-io v5 auth { strategy: "jwt", token }', (jwt) => ({ auth: { strategy: 'jwt', token: jwt } })],
      ['plugin-io v4 auth { token }', (jwt) => ({ auth: { token: jwt } })],
      ['strapi-plugin-socketio query { jwt }', (jwt) => ({ query: { jwt } })],
      ['query { token }', (jwt) => ({ query: { token: jwt } })],
    ];
    for (const [style, options] of userStyles) {
      it(`${style}: the user, in user::<id>, Authenticated and io-role-authenticated`, async () => {
        const socket = await connectClient(app, options(user.jwt));
        const info = await infoOf(socket);
        expect(info).toMatchObject({
          userId: user.id,
          role: 'Authenticated',
          user: { id: user.id, username: user.username, email: user.email, role: 'Authenticated' },
        });
        expect(info.rooms).toEqual(expect.arrayContaining([`user::${user.id}`, 'Authenticated', 'io-role-authenticated']));
      });
    }

    it('plugin-io v5 auth { strategy: "api-token", token }: the token, in io-token-<name>', async () => {
      const token = await createApiToken(app.strapi, 'read-only');
      const socket = await connectClient(app, { auth: { strategy: 'api-token', token: token.accessKey } });
      const info = await infoOf(socket);
      expect(info.user).toBeNull();
      expect(info.rooms.some((room: string) => room.startsWith('io-token-read-only-'))).toBe(true);
      expect(info.rooms).toContain(`realtime:audience:api-token:${token.id}`);
    });

    it('HTTP long-polling works as well as WebSocket', async () => {
      const socket = await connectClient(app, { transports: ['polling'] });
      const received = nextEvent(socket, 'category:create');
      await documents(CATEGORY).create({ data: { name: 'Over polling' } });
      expect(await received).toMatchObject({ name: 'Over polling' });
      expect(socket.io.engine.transport.name).toBe('polling');
    });

    it('an empty token is anonymous (plugin-io clients send one when logged out)', async () => {
      const socket = await connectClient(app, { auth: { strategy: 'jwt', token: '' } });
      expect(await roomsOf(socket)).toContain('Public');
    });

    const refusals: [string, () => Promise<object>, string, string][] = [
      ['a garbage token', async () => ({ auth: { token: 'not-a-token' } }), 'INVALID_TOKEN', 'Invalid token.'],
      ['a garbage query.jwt', async () => ({ query: { jwt: 'x.y.z' } }), 'INVALID_TOKEN', 'Invalid token.'],
      ['a token that is not a string', async () => ({ auth: { token: 42 } }), 'INVALID_TOKEN', 'Invalid token.'],
      ['an expired JWT', async () => ({ auth: { token: issueJwt(app.strapi, user.id, -10) } }), 'TOKEN_EXPIRED', 'Token expired'],
      [
        'an expired API token',
        async () => {
          const token = await createApiToken(app.strapi, 'full-access');
          await expireApiToken(app.strapi, token.id);
          return { auth: { strategy: 'api-token', token: token.accessKey } };
        },
        'TOKEN_EXPIRED',
        'Token expired',
      ],
      [
        'a blocked user',
        async () => {
          const blocked = await registerUser(app);
          await blockUser(app.strapi, blocked.id);
          return { auth: { strategy: 'jwt', token: blocked.jwt } };
        },
        'USER_BLOCKED',
        'Your account has been blocked by an administrator',
      ],
    ];
    for (const [what, options, code, message] of refusals) {
      it(`refuses ${what}: connect_error "${message}" with data.code ${code}`, async () => {
        const error = await connectRefused(app, await options());
        expect(error.message).toBe(message);
        expect(error.data?.code).toBe(code);
      });
    }
  });

  describe('content events', () => {
    it('<singularName>:create carries the flat v5 entry with only the configured relations, sanitized', async () => {
      const socket = await connectClient(app);
      const received = nextEvent(socket, 'article:create');
      const author = await registerUser(app);
      const category = await documents(CATEGORY).create({ data: { name: 'Shapes' } });
      const tag = await documents(TAG).create({ data: { name: 'shape-tag' } });
      const article = await documents(ARTICLE).create({
        data: {
          title: 'Shaped',
          views: 3,
          internalNotes: 'PRIVATE-NOTE',
          category: category.documentId,
          tags: [tag.documentId],
          author: author.id,
          seo: { metaTitle: 'SEO' },
        },
        status: 'published',
      });
      const payload = await received;
      expect(payload).toMatchObject({
        id: expect.any(Number),
        documentId: article.documentId,
        title: 'Shaped',
        views: 3,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        publishedAt: expect.any(String),
        category: { documentId: category.documentId, name: 'Shapes' },
      });
      // Not in `populate`: no tags, author, seo, cover. Private fields never.
      for (const key of ['tags', 'author', 'seo', 'cover', 'internalNotes', 'createdBy', 'updatedBy']) expect(payload).not.toHaveProperty(key);
      expect(findLeaks(payload)).toEqual([]);
    });

    it('publish, unpublish and delete of an article; delete/unpublish carry { documentId, locale }', async () => {
      const socket = await connectClient(app);
      const seen = ['article:create', 'article:update', 'article:publish', 'article:unpublish', 'article:delete'].map((event) => ({
        event,
        recorded: collect(socket, event),
      }));
      const draft = await documents(ARTICLE).create({ data: { title: 'Lifecycle' } });
      await documents(ARTICLE).update({ documentId: draft.documentId, data: { title: 'Lifecycle 2' } });
      await documents(ARTICLE).publish({ documentId: draft.documentId });
      await documents(ARTICLE).unpublish({ documentId: draft.documentId });
      await documents(ARTICLE).publish({ documentId: draft.documentId });
      await documents(ARTICLE).delete({ documentId: draft.documentId });
      await waitFor(() => seen.find((s) => s.event === 'article:delete')!.recorded.items.length > 0, 'the delete');
      await settle(150);
      const byEvent = Object.fromEntries(seen.map(({ event, recorded }) => [event, recorded.items]));
      expect(byEvent['article:create']).toEqual([]);
      expect(byEvent['article:update']).toEqual([]);
      expect(byEvent['article:publish']).toHaveLength(2);
      expect(byEvent['article:publish'][0]).toMatchObject({ documentId: draft.documentId, title: 'Lifecycle 2' });
      expect(byEvent['article:unpublish']).toEqual([{ documentId: draft.documentId, locale: null }]);
      expect(byEvent['article:delete']).toEqual([{ documentId: draft.documentId, locale: null }]);
    });

    it('types without draft & publish: create, update, delete; single types too', async () => {
      const socket = await connectClient(app);
      const created = nextEvent(socket, 'category:create');
      const category = await documents(CATEGORY).create({ data: { name: 'Plain' } });
      expect(await created).toMatchObject({ documentId: category.documentId, name: 'Plain' });
      const updated = nextEvent(socket, 'category:update');
      await documents(CATEGORY).update({ documentId: category.documentId, data: { name: 'Plain 2' } });
      expect(await updated).toMatchObject({ documentId: category.documentId, name: 'Plain 2' });
      // Relations are not in this type's populate: the inverse `articles` is left out.
      expect(await updated).not.toHaveProperty('articles');
      const deleted = nextEvent(socket, 'category:delete');
      await documents(CATEGORY).delete({ documentId: category.documentId });
      expect(await deleted).toEqual({ documentId: category.documentId, locale: null });

      await grant(app.strapi, 'public', ['api::homepage.homepage.find']);
      const home = nextEvent(socket, 'homepage:create');
      await documents('api::homepage.homepage').create({ data: { headline: 'Live' }, status: 'published' });
      expect(await home).toMatchObject({ headline: 'Live' });
    });

    it('a type the audience may not read is never sent (tags for Public)', async () => {
      const socket = await connectClient(app);
      const reader = await connectClient(app, { auth: { token: (await createApiToken(app.strapi, 'read-only')).accessKey } });
      const readerGot = nextEvent(reader, 'tag:create');
      const none = expectNone(socket, 'tag:create', 400);
      await documents(TAG).create({ data: { name: 'hidden' } });
      expect(await readerGot).toMatchObject({ name: 'hidden' });
      await none;
    });

    it('keeps the order of events per socket', async () => {
      const socket = await connectClient(app);
      const recorded = collect(socket, 'category:create');
      const names = Array.from({ length: 8 }, (_, i) => `Order ${i}`);
      for (const name of names) await documents(CATEGORY).create({ data: { name } });
      await recorded.atLeast(names.length);
      expect(recorded.items.map((p) => p.name)).toEqual(names);
    });
  });

  describe('entity subscriptions', () => {
    let article: { id: number; documentId: string };
    beforeAll(async () => {
      article = await documents(ARTICLE).create({ data: { title: 'Watched' }, status: 'published' });
    });

    it('by id and by documentId: plugin-io acks, listed by get-entity-subscriptions, removed by unsubscribe', async () => {
      const socket = await connectClient(app);
      expect(await emitWithAck(socket, 'subscribe-entity', { uid: ARTICLE, id: article.id })).toEqual({
        success: true,
        room: `${ARTICLE}:${article.id}`,
        uid: ARTICLE,
        id: article.id,
      });
      expect(await emitWithAck(socket, 'subscribe-entity', { uid: ARTICLE, documentId: article.documentId })).toEqual({
        success: true,
        room: `${ARTICLE}:${article.documentId}`,
        uid: ARTICLE,
        id: article.documentId,
      });
      const listed = await emitWithAck(socket, 'get-entity-subscriptions');
      expect(listed.success).toBe(true);
      expect(listed.subscriptions).toEqual(
        expect.arrayContaining([
          { uid: ARTICLE, id: String(article.id), room: `${ARTICLE}:${article.id}` },
          { uid: ARTICLE, id: article.documentId, room: `${ARTICLE}:${article.documentId}` },
        ]),
      );
      expect(listed.subscriptions).toHaveLength(2);
      expect(await emitWithAck(socket, 'unsubscribe-entity', { uid: ARTICLE, id: article.id })).toEqual({
        success: true,
        room: `${ARTICLE}:${article.id}`,
        uid: ARTICLE,
        id: article.id,
      });
      expect((await emitWithAck(socket, 'get-entity-subscriptions')).subscriptions).toEqual([
        { uid: ARTICLE, id: article.documentId, room: `${ARTICLE}:${article.documentId}` },
      ]);
    });

    it('a subscriber gets each event of the document once, even subscribed twice', async () => {
      const category = await documents(CATEGORY).create({ data: { name: 'Once' } });
      const socket = await connectClient(app);
      await emitWithAck(socket, 'subscribe-entity', { uid: CATEGORY, id: category.id });
      await emitWithAck(socket, 'subscribe-entity', { uid: CATEGORY, documentId: category.documentId });
      const recorded = collect(socket, 'category:update');
      await documents(CATEGORY).update({ documentId: category.documentId, data: { name: 'Once 2' } });
      await recorded.atLeast(1);
      await settle(300);
      expect(recorded.items).toHaveLength(1);
      expect(recorded.items[0]).toMatchObject({ name: 'Once 2' });
    });

    it('refusals carry plugin-io\'s error strings', async () => {
      const socket = await connectClient(app);
      const tag = await documents(TAG).create({ data: { name: 'private tag' } });
      const cases: [unknown, string][] = [
        [{ uid: TAG, id: tag.id }, 'Permission denied: no access to this content type'],
        [{ uid: ARTICLE }, 'Invalid parameters: uid and id are required'],
        [{ id: 1 }, 'Invalid parameters: uid and id are required'],
        [{ uid: 'Article', id: 1 }, 'Invalid content type uid format'],
        [{ uid: ARTICLE, id: { $gt: 0 } }, 'Invalid entity id'],
        [{ uid: ARTICLE, id: 'a'.repeat(65) }, 'Invalid entity id'],
        [{ uid: 'api::nope.nope', id: 1 }, 'Content type not found'],
        [{ uid: ARTICLE, id: 999999 }, 'Entity not found'],
        [{ uid: ARTICLE, documentId: 'doesnotexist000000000000' }, 'Entity not found'],
        ['api::article.article', 'Invalid parameters: uid and id are required'],
        [null, 'Invalid parameters: uid and id are required'],
        [[ARTICLE, 1], 'Invalid parameters: uid and id are required'],
      ];
      for (const [input, error] of cases) {
        expect(await emitWithAck(socket, 'subscribe-entity', input), JSON.stringify(input)).toEqual({ success: false, error });
      }
      expect((await emitWithAck(socket, 'get-entity-subscriptions')).subscriptions).toEqual([]);
    });

    it('at most maxEntitySubscriptions per socket; re-subscribing the same entity is not counted twice', async () => {
      const socket = await connectClient(app);
      const categories = await Promise.all([1, 2, 3, 4].map((i) => documents(CATEGORY).create({ data: { name: `Max ${i}` } })));
      for (const category of categories.slice(0, 3)) {
        expect((await emitWithAck(socket, 'subscribe-entity', { uid: CATEGORY, id: category.id })).success).toBe(true);
      }
      expect((await emitWithAck(socket, 'subscribe-entity', { uid: CATEGORY, id: categories[0].id })).success).toBe(true);
      expect(await emitWithAck(socket, 'subscribe-entity', { uid: CATEGORY, id: categories[3].id })).toEqual({
        success: false,
        error: 'Maximum subscriptions (3) reached',
      });
      // Another socket has its own quota.
      const other = await connectClient(app);
      expect((await emitWithAck(other, 'subscribe-entity', { uid: CATEGORY, id: categories[3].id })).success).toBe(true);
    });

    it('malformed client events (no payload, no ack, wrong types) never crash the server', async () => {
      const socket = await connectClient(app);
      const errors = collect(socket, 'error');
      socket.emit('subscribe-entity');
      socket.emit('subscribe-entity', { uid: ARTICLE, id: article.id });
      socket.emit('subscribe-entity', 'nonsense', 42, null);
      socket.emit('unsubscribe-entity', 5);
      socket.emit('unsubscribe-entity');
      socket.emit('get-entity-subscriptions', { a: 1 });
      socket.emit('get-entity-subscriptions', 'x', 'y');
      socket.emit('unknown-event', { a: 1 }, () => undefined);
      expect(await emitWithAck(socket, 'subscribe-entity')).toEqual({ success: false, error: 'Invalid parameters: uid and id are required' });
      expect(await emitWithAck(socket, 'unsubscribe-entity', 'x')).toEqual({
        success: false,
        error: 'Invalid parameters: uid and id are required',
      });
      // The ack-less subscription above happened; the server still answers.
      await waitFor(async () => (await emitWithAck(socket, 'get-entity-subscriptions')).subscriptions.length === 1, 'the ack-less subscription');
      expect(socket.connected).toBe(true);
      expect(errors.items).toEqual([]);
    });
  });

  describe('strapi.$io', () => {
    let writer: TestUser;
    beforeAll(async () => {
      const role = await createRole(app.strapi, 'Only Writes', [`${ARTICLE}.create`, `${ARTICLE}.update`]);
      writer = await registerUser(app, { roleId: role.id });
    });

    it('server and namespaces', async () => {
      const socket = await connectClient(app);
      expect($io.server.sockets.sockets.has(socket.id)).toBe(true);
      expect($io.namespaces.main).toBe($io.server);
      expect(app.strapi.plugin('realtime').service('realtime').getEndpoints().socketIo).toBe('/socket.io');
    });

    it('emit({ event, schema, data }): only audiences that may read the type, sanitized; schema as uid or content type', async () => {
      const anonymous = await connectClient(app);
      const writes = await connectClient(app, { auth: { token: writer.jwt } });
      const none = expectNone(writes, 'article:create', 500);
      const received = nextEvent(anonymous, 'article:create');
      await $io.emit({ event: 'create', schema: ARTICLE, data: { documentId: 'manual', title: 'By hand', internalNotes: 'PRIVATE-NOTE', password: 'x' } });
      const payload = await received;
      expect(payload).toMatchObject({ documentId: 'manual', title: 'By hand' });
      expect(findLeaks(payload)).toEqual([]);
      await none;

      const custom = nextEvent(anonymous, 'article:featured');
      await $io.emit({ event: 'featured', schema: app.strapi.contentTypes[ARTICLE as never], data: { title: 'Featured' } });
      expect(await custom).toEqual({ title: 'Featured' });
    });

    it("v4 emit('api::article.article.someCustomAction', data)", async () => {
      const anonymous = await connectClient(app);
      const received = nextEvent(anonymous, 'article:someCustomAction');
      await $io.emit('api::article.article.someCustomAction', { title: 'v4 style' });
      expect(await received).toEqual({ title: 'v4 style' });
    });

    it('emit refuses unknown content types loudly', async () => {
      await expect($io.emit({ event: 'create', schema: 'api::nope.nope', data: { a: 1 } })).rejects.toThrow(/unknown content type/);
    });

    it('raw(): everyone or some rooms, data not wrapped, sensitive fields stripped; v4 raw(event, data, { room })', async () => {
      const a = await connectClient(app);
      const b = await connectClient(app, { auth: { token: writer.jwt } });
      const toAll = [nextEvent(a, 'notification'), nextEvent(b, 'notification')];
      await $io.raw({ event: 'notification', data: { message: 'Maintenance', password: 'hunter2', nested: { token: 't', ok: 1 } } });
      for (const payload of await Promise.all(toAll)) expect(payload).toEqual({ message: 'Maintenance', nested: { ok: 1 } });

      expect($io.joinRoom(b.id, 'premium')).toBe(true);
      const notA = expectNone(a, 'exclusive-offer');
      const toB = nextEvent(b, 'exclusive-offer');
      await $io.raw({ event: 'exclusive-offer', rooms: ['premium', 'vip'], data: { discount: 50 } });
      expect(await toB).toEqual({ discount: 50 });
      await notA;

      const legacy = nextEvent(a, 'customEvent');
      const legacyNotB = expectNone(b, 'customEvent');
      await $io.raw('customEvent', { v: 4 }, { room: a.id });
      expect(await legacy).toEqual({ v: 4 });
      await legacyNotB;
    });

    it('joinRoom, leaveRoom, getSocketsInRoom', async () => {
      const socket = await connectClient(app, { auth: { token: writer.jwt } });
      expect($io.joinRoom(socket.id, 'premium-users')).toBe(true);
      expect($io.joinRoom('no-such-socket', 'premium-users')).toBe(false);
      const sockets = await $io.getSocketsInRoom('premium-users');
      expect(sockets).toEqual([
        {
          id: socket.id,
          user: { id: writer.id, username: writer.username, email: writer.email, role: 'Only Writes' },
          userId: writer.id,
          role: 'Only Writes',
          rooms: expect.arrayContaining(['premium-users', `user::${writer.id}`, 'Only Writes', 'io-role-only-writes']),
        },
      ]);
      expect($io.leaveRoom(socket.id, 'premium-users')).toBe(true);
      expect($io.leaveRoom('no-such-socket', 'premium-users')).toBe(false);
      expect(await $io.getSocketsInRoom('premium-users')).toEqual([]);
    });

    it('user::<id> reaches every socket of one user', async () => {
      const first = await connectClient(app, { auth: { token: writer.jwt } });
      const second = await connectClient(app, { query: { jwt: writer.jwt } });
      const both = [nextEvent(first, 'socketlog'), nextEvent(second, 'socketlog')];
      $io.server.to(`user::${writer.id}`).emit('socketlog', `Hello ${writer.email}`);
      expect(await Promise.all(both)).toEqual([`Hello ${writer.email}`, `Hello ${writer.email}`]);
    });

    it('sendPrivateMessage, broadcast, emitToNamespace', async () => {
      const a = await connectClient(app);
      const b = await connectClient(app);
      const privateMessage = nextEvent(a, 'order:shipped');
      const notB = expectNone(b, 'order:shipped');
      $io.sendPrivateMessage(a.id, 'order:shipped', { orderId: 123, secret: 's' });
      expect(await privateMessage).toEqual({ orderId: 123 });
      await notB;

      const toB = nextEvent(b, 'user:typing');
      const notSender = expectNone(a, 'user:typing');
      $io.broadcast(a.id, 'user:typing', { username: 'john' });
      expect(await toB).toEqual({ username: 'john' });
      await notSender;

      const alert = [nextEvent(a, 'alert'), nextEvent(b, 'alert')];
      $io.emitToNamespace('main', 'alert', { message: 'to main' });
      expect(await Promise.all(alert)).toEqual([{ message: 'to main' }, { message: 'to main' }]);
      // An unknown namespace is a no-op; it is not created (it would accept clients without any check).
      expect(() => $io.emitToNamespace('admin', 'alert', {})).not.toThrow();
      expect(Object.keys($io.namespaces)).toEqual(['main']);
    });

    it('disconnectSocket', async () => {
      const socket = await connectClient(app);
      const reason = nextEvent(socket, 'disconnect');
      expect($io.disconnectSocket(socket.id, 'Kicked by admin')).toBe(true);
      expect(await reason).toBe('io server disconnect');
      expect($io.disconnectSocket('no-such-socket')).toBe(false);
    });

    it('entity helpers: subscribeToEntity (same checks), unsubscribeFromEntity, getEntitySubscriptions, emitToEntity, getEntityRoomSockets', async () => {
      const article = await documents(ARTICLE).create({ data: { title: 'Server side' }, status: 'published' });
      const tag = await documents(TAG).create({ data: { name: 'not for public' } });
      const socket = await connectClient(app);
      const other = await connectClient(app);

      expect(await $io.subscribeToEntity(socket.id, ARTICLE, article.id)).toEqual({
        success: true,
        room: `${ARTICLE}:${article.id}`,
        uid: ARTICLE,
        id: article.id,
      });
      expect(await $io.subscribeToEntity(socket.id, TAG, tag.id)).toEqual({
        success: false,
        error: 'Permission denied: no access to this content type',
      });
      expect(await $io.subscribeToEntity('nope', ARTICLE, article.id)).toEqual({ success: false, error: 'Socket not found' });
      expect($io.getEntitySubscriptions(socket.id)).toEqual({
        success: true,
        subscriptions: [{ uid: ARTICLE, id: String(article.id), room: `${ARTICLE}:${article.id}` }],
      });
      expect($io.getEntitySubscriptions('nope')).toEqual({ success: false, error: 'Socket not found' });

      const commented = nextEvent(socket, 'article:commented');
      const notOther = expectNone(other, 'article:commented');
      $io.emitToEntity(ARTICLE, article.id, 'article:commented', { commentId: 456 });
      expect(await commented).toEqual({ commentId: 456 });
      await notOther;

      expect(await $io.getEntityRoomSockets(ARTICLE, article.id)).toEqual([
        expect.objectContaining({ id: socket.id, user: null, rooms: expect.arrayContaining([`${ARTICLE}:${article.id}`]) }),
      ]);
      expect($io.unsubscribeFromEntity(socket.id, ARTICLE, article.id)).toEqual({
        success: true,
        room: `${ARTICLE}:${article.id}`,
        uid: ARTICLE,
        id: article.id,
      });
      expect($io.unsubscribeFromEntity('nope', ARTICLE, article.id)).toEqual({ success: false, error: 'Socket not found' });
      expect(await $io.getEntityRoomSockets(ARTICLE, article.id)).toEqual([]);
    });
  });

  describe('monitoring service', () => {
    const monitoring = () => app.strapi.plugin('realtime').service('monitoring') as any;

    it('getConnectionStats: plugin-io shape, every transport, no credentials', async () => {
      const user = await registerUser(app);
      const socket = await connectClient(app, { query: { jwt: user.jwt, locale: 'en' } });
      const category = await documents(CATEGORY).create({ data: { name: 'Monitored' } });
      // Authenticated users may not read categories yet: the subscription needs it.
      expect((await emitWithAck(socket, 'subscribe-entity', { uid: CATEGORY, id: category.id })).success).toBe(false);
      await grant(app.strapi, 'authenticated', [`${CATEGORY}.find`]);
      expect((await emitWithAck(socket, 'subscribe-entity', { uid: CATEGORY, id: category.id })).success).toBe(true);
      const stats = monitoring().getConnectionStats();
      expect(stats.connected).toBeGreaterThanOrEqual(1);
      const mine = stats.sockets.find((s: any) => s.id === socket.id);
      expect(mine).toMatchObject({
        connected: true,
        user: { id: user.id, username: user.username },
        entitySubscriptions: [{ uid: CATEGORY, id: String(category.id), room: `${CATEGORY}:${category.id}` }],
        handshake: { address: expect.any(String), time: expect.any(String), query: expect.objectContaining({ locale: 'en' }) },
      });
      expect(mine.handshake.query).not.toHaveProperty('jwt');
      expect(JSON.stringify(stats)).not.toContain(user.jwt);
      expect(stats.rooms).toEqual(
        expect.arrayContaining([
          { name: `${CATEGORY}:${category.id}`, members: 1, isEntityRoom: true },
          expect.objectContaining({ name: 'Authenticated', isEntityRoom: false }),
        ]),
      );
      expect(stats.entitySubscriptions).toMatchObject({ total: 1, byContentType: { [CATEGORY]: 1 }, rooms: [`${CATEGORY}:${category.id}`] });
      const transports = stats.transports.map((t: any) => t.transport);
      expect(transports).toEqual(expect.arrayContaining(['socket.io', 'graphql-ws']));
      expect(stats.transports.find((t: any) => t.transport === 'socket.io')).toMatchObject({
        connections: stats.connected,
        subscriptions: 1,
        subscriptionsByContentType: { [CATEGORY]: 1 },
      });
    });

    it('event stats and the event log count deliveries; logEvent, resetStats', async () => {
      monitoring().resetStats();
      expect(monitoring().getEventStats()).toMatchObject({ totalEvents: 0, eventsByType: {}, lastReset: expect.any(Number) });
      const socket = await connectClient(app);
      const received = nextEvent(socket, 'category:create');
      await documents(CATEGORY).create({ data: { name: 'Counted' } });
      await received;
      await waitFor(() => monitoring().getEventStats().eventsByType.create >= 1, 'the delivery counted');
      monitoring().logEvent('custom-event', { action: 'user-action', userId: 123 });
      const stats = monitoring().getEventStats();
      expect(stats.eventsByType).toMatchObject({ connection: 1, create: 1, 'custom-event': 1 });
      expect(stats.eventsPerSecond).toMatch(/^\d+\.\d{2}$/);
      expect(monitoring().getEventLog(1)).toEqual([
        { timestamp: expect.any(Number), type: 'custom-event', data: { action: 'user-action', userId: 123 } },
      ]);
      expect(monitoring().getEventLog(50).find((entry: any) => entry.type === 'create')).toMatchObject({
        data: { transport: 'socket.io', event: 'category:create' },
      });
      monitoring().resetStats();
      expect(monitoring().getEventLog(50)).toEqual([]);
    });

    it('sendTestEvent reaches every client', async () => {
      const a = await connectClient(app);
      const b = await connectClient(app);
      const both = [nextEvent(a, 'test'), nextEvent(b, 'test')];
      const result = monitoring().sendTestEvent('test', { message: 'Hello!' });
      expect(result).toEqual({
        success: true,
        eventName: 'test',
        data: { message: 'Hello!', timestamp: expect.any(Number), test: true },
        recipients: expect.any(Number),
      });
      expect(result.recipients).toBeGreaterThanOrEqual(2);
      expect(await Promise.all(both)).toEqual([result.data, result.data]);
    });
  });

  describe("clients written from plugin-io's README", () => {
    const track = <T extends Socket>(socket: T) => {
      opened.push(socket);
      return socket;
    };
    const opened: Socket[] = [];
    afterEach(() => opened.splice(0).forEach((socket) => socket.disconnect()));

    it('Quick Start: io(url), article:create / article:update / article:delete', async () => {
      const socket = track(readmeIo(app.httpUrl));
      const log: [string, any][] = [];
      await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
      socket.on('article:create', (article) => log.push(['create', article]));
      socket.on('article:update', (article) => log.push(['update', article]));
      socket.on('article:delete', (data) => log.push(['delete', data.documentId]));

      const token = (await createApiToken(app.strapi, 'full-access')).accessKey;
      const created = expectOk(
        await rest(app, 'POST', '/api/articles', { token, body: { data: { title: 'From the README' } } }),
        'create over REST',
      );
      const documentId = created.data.documentId;
      await waitFor(() => log.length >= 1, 'article:create');
      expectOk(await rest(app, 'PUT', `/api/articles/${documentId}`, { token, body: { data: { title: 'Edited over REST' } } }), 'update');
      await waitFor(() => log.some(([kind]) => kind === 'update'), 'article:update');
      expectOk(await rest(app, 'DELETE', `/api/articles/${documentId}`, { token }), 'delete');
      await waitFor(() => log.some(([kind]) => kind === 'delete'), 'article:delete');
      expect(log).toEqual([
        ['create', expect.objectContaining({ documentId, title: 'From the README' })],
        ['update', expect.objectContaining({ documentId, title: 'Edited over REST' })],
        ['delete', documentId],
      ]);
    });

    it('JWT authentication: login over REST, then io(url, { auth: { strategy: "jwt", token } })', async () => {
      const user = await registerUser(app);
      const response = await fetch(`${app.httpUrl}/api/auth/local`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ identifier: user.email, password: user.password }),
      });
      const { jwt } = await response.json();
      const socket = track(readmeIo(app.httpUrl, { auth: { strategy: 'jwt', token: jwt } }));
      await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
      expect((await infoOf(socket)).rooms).toContain('Authenticated');
    });

    it('API token authentication and an entity subscription with a callback', async () => {
      const token = await createApiToken(app.strapi, 'read-only');
      const socket = track(readmeIo(app.httpUrl, { auth: { strategy: 'api-token', token: token.accessKey } }));
      const article = await documents(ARTICLE).create({ data: { title: 'Subscribed' }, status: 'published' });
      const response = await new Promise<any>((resolve) => {
        socket.emit('subscribe-entity', { uid: 'api::article.article', id: article.id }, (answer: any) => resolve(answer));
      });
      expect(response.success).toBe(true);
      socket.emit('unsubscribe-entity', { uid: 'api::article.article', id: article.id });
      await waitFor(async () => (await $io.getEntityRoomSockets(ARTICLE, article.id)).length === 0, 'the unsubscription');
    });

    it('strapi-plugin-socketio: query { jwt } and messages to user::<id>', async () => {
      const user = await registerUser(app);
      const socket = track(readmeIo(app.httpUrl, { query: { jwt: user.jwt } }));
      const message = new Promise((resolve) => socket.on('socketlog', resolve));
      await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
      $io.server.to(`user::${user.id}`).emit('socketlog', `Hello ${user.email}`);
      expect(await message).toBe(`Hello ${user.email}`);
    });
  });

  it('a client that floods events is rate limited while others keep receiving', async () => {
    const flooder = await connectClient(app);
    const bystander = await connectClient(app);
    const errors = collect(flooder, 'error');
    const limited: any[] = [];
    // The default limit is 30 events per second: 40 at once, each with an ack.
    await Promise.all(
      Array.from({ length: 40 }, () =>
        new Promise<void>((resolve) =>
          flooder.emit('get-entity-subscriptions', (answer: any) => {
            if (!answer.success) limited.push(answer);
            resolve();
          }),
        ),
      ),
    );
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(limited[0]).toEqual({ success: false, error: 'Rate limit exceeded' });
    await waitFor(() => errors.items.length > 0, 'the error event');
    expect(errors.items[0]).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('Rate limit exceeded') });
    expect(errors.items).toHaveLength(1);

    const received = nextEvent(bystander, 'category:create');
    await documents(CATEGORY).create({ data: { name: 'Still flowing' } });
    expect(await received).toMatchObject({ name: 'Still flowing' });
    expect((await emitWithAck(bystander, 'get-entity-subscriptions')).success).toBe(true);

    // Far beyond the limit (5x within one window): disconnected.
    const disconnected = nextEvent(flooder, 'disconnect');
    for (let i = 0; i < 200; i++) flooder.emit('get-entity-subscriptions');
    expect(await disconnected).toBe('io server disconnect');
    expect(bystander.connected).toBe(true);
  });

  it('an oversized packet closes only that client', async () => {
    const big = await connectClient(app);
    const other = await connectClient(app);
    const disconnected = nextEvent(big, 'disconnect');
    big.emit('subscribe-entity', { uid: ARTICLE, id: 1, padding: 'x'.repeat(1_100_000) });
    expect(await disconnected).toMatch(/transport (close|error)/);
    expect(other.connected).toBe(true);
    expect((await emitWithAck(other, 'get-entity-subscriptions')).success).toBe(true);
  });

  it('createClient helper sanity: a refused client does not retry', async () => {
    const socket = createClient(app, { auth: { token: 'bad' } });
    const error = await nextEvent(socket, 'connect_error');
    expect(error.data.code).toBe('INVALID_TOKEN');
    await settle(200);
    expect(socket.connected).toBe(false);
  });
});
