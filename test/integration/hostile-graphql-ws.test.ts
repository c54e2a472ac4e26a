import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { createApiToken, createRole, registerUser, type TestApiToken } from '../harness/principals';
import { expectOk, rest } from '../harness/rest';
import { openRawSocket, type RawSocket } from '../harness/raw-graphql-ws';
import { settle, waitFor } from '../harness/wait';
import { READ_ARTICLES, READ_EVERYTHING } from '../harness/permission-matrix';
import { grant } from '../harness/principals';
import { deepFilterVariables, fragmentBomb } from '../harness/hostile-documents';

describe('hostile graphql-ws clients (real example app)', () => {
  let app: ExampleApp;
  let admin: TestApiToken;
  const sockets: { dispose(): void }[] = [];
  const raw = async () => {
    const socket = await openRawSocket(app);
    sockets.push(socket);
    return socket;
  };
  const resources = () => (app.strapi.plugin('realtime').service('realtime') as { getResourceStats(): Record<string, number> }).getResourceStats();
  const createArticle = async (data: Record<string, unknown>) =>
    expectOk(await rest(app, 'POST', '/api/articles', { token: admin.accessKey, body: { data } }), 'create article').data;

  beforeAll(async () => {
    app = await bootExample({ realtimeConfig: { socket: { enabled: false }, limits: { maxConnectionsPerAddress: 12 } } });
    admin = await createApiToken(app.strapi, 'full-access');
    await grant(app.strapi, 'public', READ_EVERYTHING);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.dispose();
    await app?.stop();
  });

  it('refuses a fragment bomb after a linear check, before validating, caching or executing it', async () => {
    const socket = await raw();
    await socket.init();
    socket.send({ id: 'bomb', type: 'subscribe', payload: { query: fragmentBomb(22) } });
    const error = await socket.waitForMessage((m) => m.id === 'bomb', 'the answer to the fragment bomb');
    expect(error.type).toBe('error');
    expect(error.payload[0].extensions.code).toBe('FIELD_LIMIT_EXCEEDED');
    // The connection stays usable.
    socket.send({ id: 'ok', type: 'subscribe', payload: { query: 'subscription { articleCreated { title } }' } });
    await createArticle({ title: 'after the bomb' });
    const next = await socket.waitForMessage((m) => m.id === 'ok' && m.type === 'next', 'a legitimate event');
    expect(next.payload.data.articleCreated.title).toBe('after the bomb');
    socket.dispose();
  });

  it('refuses documents over the size, token, alias and depth ceilings with their codes', async () => {
    const socket = await raw();
    await socket.init();
    const cases: [string, string][] = [
      [`subscription { articleCreated { ${'title '.repeat(300)} } }`, 'FIELD_LIMIT_EXCEEDED'],
      [`subscription { articleCreated { ${Array.from({ length: 40 }, (_, i) => `a${i}: title`).join(' ')} } }`, 'ALIAS_LIMIT_EXCEEDED'],
      [`subscription { articleCreated { category { articles { category { articles { category { articles { category { articles { category { articles { title } } } } } } } } } } } }`, 'DEPTH_LIMIT_EXCEEDED'],
      [`subscription { articleCreated(filters: ${'{ not: '.repeat(40)}{ title: { eq: "x" } }${' }'.repeat(40)}) { title } }`, 'INPUT_DEPTH_LIMIT_EXCEEDED'],
    ];
    for (const [index, [query, code]] of cases.entries()) {
      socket.send({ id: `c${index}`, type: 'subscribe', payload: { query } });
      const answer = await socket.waitForMessage((m) => m.id === `c${index}`, `the answer to case ${index}`);
      expect(answer.type, query.slice(0, 80)).toBe('error');
      expect(answer.payload[0].extensions?.code, query.slice(0, 80)).toBe(code);
    }
    // Past the token ceiling the parser stops: a GraphQL syntax error, not a parse of the whole document.
    socket.send({ id: 'tokens', type: 'subscribe', payload: { query: `subscription { articleCreated { title } } ${'fragment X on Article { title } '.repeat(900)}` } });
    const tokens = await socket.waitForMessage((m) => m.id === 'tokens', 'the answer to the token flood');
    expect(tokens.payload[0].message).toMatch(/more th.. 2000 tokens/);
    socket.dispose();
  });

  it('refuses filters nested too deep in variables before graphql-js coerces them; later events still flow', async () => {
    // Sent as text: no client library can even serialize 5,000 levels (JSON.stringify overflows), an attacker can.
    const socket = await raw();
    await socket.init();
    const query = 'subscription ($f: ArticleFiltersInput) { articleCreated(filters: $f) { title } }';
    const variables = deepFilterVariables(5000);
    socket.sendText(`{"id":"deep","type":"subscribe","payload":{"query":${JSON.stringify(query)},"variables":${variables}}}`);
    const deep = await socket.waitForMessage((m) => m.id === 'deep', 'the answer to the deep filter');
    expect(deep.type).toBe('error');
    expect(deep.payload[0].extensions.code).toBe('INPUT_DEPTH_LIMIT_EXCEEDED');
    socket.send({ id: 'wide', type: 'subscribe', payload: { query, variables: { f: { title: { in: Array.from({ length: 2000 }, (_, i) => `t${i}`) } } } } });
    const wide = await socket.waitForMessage((m) => m.id === 'wide', 'the answer to the wide filter');
    expect(wide.payload[0].extensions.code).toBe('FILTER_LIMIT_EXCEEDED');
    socket.send({ id: 'fine', type: 'subscribe', payload: { query: 'subscription { articleCreated { title } }' } });
    await settle(100);
    await createArticle({ title: 'still flowing' });
    const next = await socket.waitForMessage((m) => m.id === 'fine' && m.type === 'next', 'the next event');
    expect(next.payload.data).toEqual({ articleCreated: { title: 'still flowing' } });
    socket.dispose();
  });

  it('keeps the protocol exact when an id is reused: subscribe + complete x300 on one id leaves at most the one tracked subscription', async () => {
    await waitFor(() => resources().subscriptions === 0, 'the earlier tests\' sockets gone');
    const before = resources();
    const socket = await raw();
    await socket.init();
    const query = 'subscription { articleCreated { title } }';
    for (let i = 0; i < 300; i++) {
      socket.send({ id: 'same', type: 'subscribe', payload: { query } });
      socket.send({ id: 'same', type: 'complete' });
    }
    // Every cancelled subscribe released what it took (past 100 in flight they were refused outright).
    await settle(300);
    expect(resources().subscriptions).toBe(before.subscriptions);
    expect(socket.messages.filter((m) => m.type === 'error').every((m) => m.payload[0].extensions.code === 'TOO_MANY_SUBSCRIPTIONS')).toBe(true);
    socket.send({ id: 'same', type: 'subscribe', payload: { query } });
    await waitFor(() => resources().subscriptions === before.subscriptions + 1, 'one subscription for the connection');
    await settle(200);
    expect(resources().subscriptions).toBe(before.subscriptions + 1);
    await createArticle({ title: 'once' });
    await socket.waitForMessage((m) => m.type === 'next', 'the event');
    await settle(200);
    expect(socket.messages.filter((m) => m.type === 'next')).toHaveLength(1);
    socket.ws.close();
    await waitFor(() => resources().subscriptions === before.subscriptions && resources().connectionTickets === before.connectionTickets, 'everything released');
  });

  it('a user demoted while flooding subscribe/complete receives nothing its new role may not read', async () => {
    const reader = await createRole(app.strapi, 'Readers', READ_ARTICLES);
    const nobody = await createRole(app.strapi, 'Nobody', []);
    const user = await registerUser(app, { roleId: reader.id });
    const socket = await raw();
    await socket.init({ authorization: `Bearer ${user.jwt}` });
    for (let i = 0; i < 100; i++) {
      socket.send({ id: 'x', type: 'subscribe', payload: { query: 'subscription { articleCreated { title } }' } });
      socket.send({ id: 'x', type: 'complete' });
    }
    await settle(300);
    socket.messages.length = 0;
    socket.send({ id: 'x', type: 'subscribe', payload: { query: 'subscription { articleCreated { title } }' } });
    await settle(200);
    await app.strapi.db.query('plugin::users-permissions.user').update({ where: { id: user.id }, data: { role: nobody.id } });
    const refused = await socket.waitForMessage((m) => m.id === 'x' && m.type === 'error', 'the regrouped subscription to be refused');
    expect(refused.payload[0].extensions.code).toBe('FORBIDDEN');
    await createArticle({ title: 'not for the demoted' });
    await settle();
    expect(socket.messages.filter((m) => m.type === 'next')).toEqual([]);
    expect((await rest(app, 'GET', '/api/articles', { token: user.jwt })).status).toBe(403);
    socket.dispose();
  });

  it('cuts close reasons on a character boundary within 123 bytes (a multibyte type is a 4400, not a 4500)', async () => {
    const socket = await raw();
    socket.sendText(JSON.stringify({ type: 'é'.repeat(200) }));
    const close = await socket.waitForClose();
    expect(close.code).toBe(4400);
    expect(Buffer.byteLength(close.reason)).toBeLessThanOrEqual(123);
    expect(close.reason).not.toContain('\ufffd');
  });

  it('limits connections per client address: the next upgrade gets HTTP 429, and a closed socket frees its place', async () => {
    const held = resources().connectionTickets;
    const open: RawSocket[] = [];
    for (let i = held; i < 12; i++) open.push(await raw());
    await expect(openRawSocket(app)).rejects.toMatchObject({ status: 429 });
    open.pop()!.ws.close();
    await waitFor(() => resources().connectionTickets === 11, 'the place freed');
    open.push(await raw());
    for (const socket of open) socket.ws.close();
    await waitFor(() => resources().connectionTickets === held, 'every ticket released');
  });

  it('accepts "Bearer <token>" and refuses a credential Strapi cannot parse instead of downgrading it to Public', async () => {
    const user = await registerUser(app);
    const bearer = await raw();
    await bearer.init({ token: `Bearer ${user.jwt}` });
    bearer.dispose();
    const garbage = await raw();
    // Strapi reads "Bearer two words" as no token at all (the Public role); it must be refused instead.
    garbage.send({ type: 'connection_init', payload: { authorization: 'Bearer two words' } });
    expect((await garbage.waitForClose()).code).toBe(4403);
  });

  it('after every client leaves, subscriptions, groups and connection tickets read zero', async () => {
    for (const socket of sockets) socket.dispose();
    await waitFor(() => {
      const stats = resources();
      return stats.connections === 0 && stats.subscriptions === 0 && stats.groups === 0 && stats.connectionTickets === 0;
    }, 'all resources released');
  });

});
