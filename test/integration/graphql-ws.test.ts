import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { createApiToken, grant, issueJwt, registerUser, revoke, type TestApiToken } from '../harness/principals';
import { expectOk, rest } from '../harness/rest';
import { connectWs, errorMessages } from '../harness/graphql-clients';
import { settle, waitFor } from '../harness/wait';
import { READ_ARTICLES, READ_EVERYTHING, resetPublicRole } from '../harness/permission-matrix';

const ARTICLE_FIELDS = 'documentId title kind views category { name } tags { name } author { username } seo { metaTitle }';

describe('GraphQL subscriptions over graphql-ws (real example app, real graphql-ws client)', () => {
  let app: ExampleApp;
  let admin: TestApiToken;
  const clients: { dispose(): void }[] = [];
  const ws = (options?: Parameters<typeof connectWs>[1]) => {
    const client = connectWs(app, options);
    clients.push(client);
    return client;
  };
  /** Subscriptions the hub holds (accepted and grouped: writes reach them), graphql-ws and SSE together. */
  const hubSubscriptions = () =>
    Object.values(
      (app.strapi.plugin('realtime').service('realtime') as { getTransportStats(): { transport: string; subscriptionsByContentType: Record<string, number> }[] })
        .getTransportStats()
        .find((row) => row.transport === 'graphql-ws')!.subscriptionsByContentType,
    ).reduce((sum, count) => sum + count, 0);
  /** Waits until `count` more subscriptions than `before` are live (rather than guessing with a fixed sleep). */
  const untilSubscribed = (before: number, count: number) => waitFor(() => hubSubscriptions() >= before + count, `${count} subscription(s) to be live`);
  const createArticle = async (data: Record<string, unknown>, status?: 'draft') =>
    expectOk(await rest(app, 'POST', `/api/articles${status ? '?status=draft' : ''}`, { token: admin.accessKey, body: { data } }), 'create article').data;

  beforeAll(async () => {
    app = await bootExample({ realtimeConfig: { socket: { enabled: false } } });
    admin = await createApiToken(app.strapi, 'full-access');
    await grant(app.strapi, 'public', READ_EVERYTHING);
  });
  afterAll(async () => {
    for (const client of clients) client.dispose();
    await app?.stop();
  });

  it('delivers created, updated, published and deleted events from REST writes, with only the selected fields', async () => {
    const client = ws();
    const before = hubSubscriptions();
    const created = client.subscribe(`subscription { articleCreated { documentId title } }`);
    const updated = client.subscribe(`subscription { articleUpdated { title views } }`);
    const published = client.subscribe(`subscription { articlePublished { documentId title } }`);
    const deleted = client.subscribe(`subscription { articleDeleted { documentId locale } }`);
    await untilSubscribed(before, 4);

    const article = await createArticle({ title: 'Hello', internalNotes: 'PRIVATE', views: 1 });
    // Every result carries its position in the event log (what the client resumes from).
    expect((await created.waitForResults(1))[0]).toEqual({
      data: { articleCreated: { documentId: article.documentId, title: 'Hello' } },
      extensions: { cursor: expect.stringMatching(/^[\w-]+\.\d+-\d+$/) },
    });

    await rest(app, 'PUT', `/api/articles/${article.documentId}`, { token: admin.accessKey, body: { data: { views: 2 } } });
    expect((await updated.waitForResults(1))[0].data).toEqual({ articleUpdated: { title: 'Hello', views: 2 } });

    await app.strapi.documents('api::article.article' as never).update({ documentId: article.documentId, data: { title: 'Hello again' } } as never);
    await app.strapi.documents('api::article.article' as never).publish({ documentId: article.documentId } as never);
    expect((await published.waitForResults(1))[0].data).toEqual({ articlePublished: { documentId: article.documentId, title: 'Hello again' } });

    await rest(app, 'DELETE', `/api/articles/${article.documentId}`, { token: admin.accessKey });
    expect((await deleted.waitForResults(1))[0].data).toEqual({ articleDeleted: { documentId: article.documentId, locale: null } });

    await settle();
    expect(created.results).toHaveLength(1);
    // The admin-panel style draft edit before publishing is not a published-version update.
    expect(updated.results).toHaveLength(1);
  });

  it('resolves relations, components and enums the subscriber selected', async () => {
    const client = ws();
    const before = hubSubscriptions();
    const sub = client.subscribe(`subscription { articleCreated { ${ARTICLE_FIELDS} } }`);
    await untilSubscribed(before, 1);
    const category = expectOk(await rest(app, 'POST', '/api/categories', { token: admin.accessKey, body: { data: { name: 'Deep' } } }), 'category').data;
    const tag = expectOk(await rest(app, 'POST', '/api/tags', { token: admin.accessKey, body: { data: { name: 't1' } } }), 'tag').data;
    const author = await registerUser(app);
    await createArticle({ title: 'Related', kind: 'news', category: category.documentId, tags: [tag.documentId], author: author.id, seo: { metaTitle: 'M' } });
    const [result] = await sub.waitForResults(1);
    expect(result.data.articleCreated).toMatchObject({
      title: 'Related',
      kind: 'news',
      category: { name: 'Deep' },
      tags: [{ name: 't1' }],
      author: { username: author.username },
      seo: { metaTitle: 'M' },
    });
  });

  it('loads relations deeper than the event carries, sanitized for the audience', async () => {
    const client = ws();
    const before = hubSubscriptions();
    const sub = client.subscribe(`subscription { articleCreated { title category { name articles { title } } } }`);
    await untilSubscribed(before, 1);
    const category = expectOk(await rest(app, 'POST', '/api/categories', { token: admin.accessKey, body: { data: { name: 'Nested' } } }), 'category').data;
    await createArticle({ title: 'First', category: category.documentId });
    await createArticle({ title: 'Second', category: category.documentId });
    const results = await sub.waitForResults(2);
    const titles = results[1].data.articleCreated.category.articles.map((a: { title: string }) => a.title).sort();
    expect(titles).toEqual(['First', 'Second']);
  });

  it('private fields are not in the schema at all', async () => {
    const client = ws();
    const sub = client.subscribe(`subscription { articleCreated { title internalNotes } }`);
    const error = await sub.waitForError();
    expect(errorMessages(error).join()).toMatch(/Cannot query field "internalNotes" on type "Article"/);
    const userSub = client.subscribe(`subscription { articleCreated { author { username password resetPasswordToken } } }`);
    expect(errorMessages(await userSub.waitForError()).join()).toMatch(/Cannot query field "password"/);
  });

  it('filters and documentId select the right events', async () => {
    const client = ws();
    const before = hubSubscriptions();
    const tutorials = client.subscribe(`subscription($f: ArticleFiltersInput) { articleCreated(filters: $f) { title } }`, {
      f: { kind: { eq: 'tutorial' }, or: [{ views: { gt: 10 } }, { title: { containsi: 'GRAPHQL' } }] },
    });
    const byCategory = client.subscribe(`subscription { articleCreated(filters: { category: { name: { eq: "Filtered" } } }) { title } }`);
    await untilSubscribed(before, 2);
    const category = expectOk(await rest(app, 'POST', '/api/categories', { token: admin.accessKey, body: { data: { name: 'Filtered' } } }), 'category').data;
    await createArticle({ title: 'graphql tips', kind: 'tutorial', views: 1 });
    await createArticle({ title: 'Popular', kind: 'tutorial', views: 50 });
    await createArticle({ title: 'Boring', kind: 'tutorial', views: 1 });
    await createArticle({ title: 'News', kind: 'news', views: 100, category: category.documentId });
    await tutorials.waitForResults(2);
    await byCategory.waitForResults(1);
    await settle();
    expect(tutorials.data().map((d: any) => d.articleCreated.title)).toEqual(['graphql tips', 'Popular']);
    expect(byCategory.data().map((d: any) => d.articleCreated.title)).toEqual(['News']);

    const target = await createArticle({ title: 'Target' });
    const one = client.subscribe(`subscription($id: ID) { articleUpdated(documentId: $id) { title } }`, { id: target.documentId });
    await untilSubscribed(before, 3);
    const other = await createArticle({ title: 'Other' });
    await rest(app, 'PUT', `/api/articles/${other.documentId}`, { token: admin.accessKey, body: { data: { title: 'Other 2' } } });
    await rest(app, 'PUT', `/api/articles/${target.documentId}`, { token: admin.accessKey, body: { data: { title: 'Target 2' } } });
    await one.waitForResults(1);
    await settle();
    expect(one.data()).toEqual([{ articleUpdated: { title: 'Target 2' } }]);
  });

  it('filters cannot probe relations the subscriber may not read', async () => {
    await revoke(app.strapi, 'public', ['plugin::users-permissions.user.find']);
    const author = await registerUser(app);
    const client = ws();
    const before = hubSubscriptions();
    const byAuthor = client.subscribe(`subscription($u: String) { articleCreated(filters: { author: { username: { eq: $u } } }) { title } }`, {
      u: author.username,
    });
    const noAuthor = client.subscribe(`subscription { articleCreated(filters: { author: { username: { null: true } } }) { title author { username } } }`);
    await untilSubscribed(before, 2);
    await createArticle({ title: 'Written by someone', author: author.id });
    await noAuthor.waitForResults(1);
    await settle();
    // To Public, the article has no author at all: the filter on it cannot match, the field resolves to null.
    expect(byAuthor.results).toEqual([]);
    expect(noAuthor.data()).toEqual([{ articleCreated: { title: 'Written by someone', author: null } }]);
    await grant(app.strapi, 'public', ['plugin::users-permissions.user.find']);
  });

  it('relations of a published version never carry drafts', async () => {
    const documents = (uid: string) => app.strapi.documents(uid as never) as any;
    await grant(app.strapi, 'public', ['api::homepage.homepage.find']);
    const draftOnly = await documents('api::article.article').create({ data: { title: 'Secret draft' } });
    const published = await documents('api::article.article').create({ data: { title: 'Public article' }, status: 'published' });
    await documents('api::article.article').update({ documentId: published.documentId, data: { title: 'Unpublished edit' } });
    const client = ws();
    const sub = client.subscribe(`subscription { homepagePublished { headline featured { title } } }`);
    await settle(200);
    const home = await documents('api::homepage.homepage').create({ data: { headline: 'Home', featured: [draftOnly.documentId, published.documentId] } });
    await documents('api::homepage.homepage').publish({ documentId: home.documentId });
    const [result] = await sub.waitForResults(1);
    expect(result.data.homepagePublished).toEqual({ headline: 'Home', featured: [{ title: 'Public article' }] });
  });

  it('drafts stay private: the default view never sees them; DRAFT needs read permission, as over REST', async () => {
    const client = ws();
    const published = client.subscribe(`subscription { articleCreated { title } }`);
    const drafts = client.subscribe(`subscription { articleCreated(status: DRAFT) { title publishedAt } }`);
    await settle(200);
    await createArticle({ title: 'Only a draft' }, 'draft');
    const [draft] = await drafts.waitForResults(1);
    expect(draft.data.articleCreated).toEqual({ title: 'Only a draft', publishedAt: null });
    await settle();
    expect(published.results).toEqual([]);

    await revoke(app.strapi, 'public', READ_ARTICLES);
    const refused = ws().subscribe(`subscription { articleCreated(status: DRAFT) { title } }`);
    expect(errorMessages(await refused.waitForError()).join()).toMatch(/Forbidden/);
    await grant(app.strapi, 'public', READ_ARTICLES);
  });

  it('a type the principal cannot read is a GraphQL error on that operation; the connection stays open', async () => {
    await resetPublicRole(app);
    const client = ws();
    const refused = client.subscribe(`subscription { articleCreated { title } }`);
    expect(errorMessages(await refused.waitForError())).toEqual([expect.stringMatching(/Forbidden: you may not read api::article.article/)]);
    await grant(app.strapi, 'public', READ_EVERYTHING);
    const allowed = client.subscribe(`subscription { articleCreated { title } }`);
    await settle(200);
    await createArticle({ title: 'After the refusal' });
    expect((await allowed.waitForResults(1))[0].data).toEqual({ articleCreated: { title: 'After the refusal' } });
    expect(client.closes).toEqual([]);
  });

  it('a permission revoked while subscribed stops delivery without a restart', async () => {
    const client = ws();
    const sub = client.subscribe(`subscription { articleCreated { title } }`);
    await settle(200);
    await createArticle({ title: 'Before revoke' });
    await sub.waitForResults(1);
    await revoke(app.strapi, 'public', READ_ARTICLES);
    await createArticle({ title: 'After revoke' });
    await settle(500);
    expect(sub.data()).toEqual([{ articleCreated: { title: 'Before revoke' } }]);
    await grant(app.strapi, 'public', READ_ARTICLES);
  });

  it('one execution per group and one sanitize per audience, however many subscribers', async () => {
    for (const client of clients.splice(0)) client.dispose();
    await settle(200);
    const reader = await createApiToken(app.strapi, 'read-only');
    const query = `subscription { articleCreated { title } }`;
    const anonymous = Array.from({ length: 6 }, () => ws());
    const tokenUsers = Array.from({ length: 4 }, () => ws({ token: reader.accessKey }));
    const subs = [
      ...anonymous.map((c) => c.subscribe(query)),
      ...tokenUsers.map((c) => c.subscribe(query)),
      ...anonymous.slice(0, 3).map((c) => c.subscribe(`subscription { articleCreated { documentId title } }`)),
    ];
    await settle(300);
    const realtime = app.strapi.plugin('realtime').service('realtime') as {
      getPipelineStats(): { sanitizeCalls: number };
      getTransportStats(): { transport: string; executions?: number; groups: number }[];
    };
    const before = realtime.getTransportStats().find((s) => s.transport === 'graphql-ws')!;
    const sanitizeBefore = realtime.getPipelineStats().sanitizeCalls;
    await createArticle({ title: 'Fan-out' });
    await Promise.all(subs.map((s) => s.waitForResults(1)));
    const after = realtime.getTransportStats().find((s) => s.transport === 'graphql-ws')!;
    // Groups: (public, query A), (read-only token, query A), (public, query B).
    const groupsForArticleCreated = 3;
    expect(after.executions! - before.executions!).toBe(groupsForArticleCreated);
    expect(realtime.getPipelineStats().sanitizeCalls - sanitizeBefore).toBe(2);
    for (const c of [...anonymous, ...tokenUsers]) void c.dispose();
  });
});

describe('graphql-ws edge cases: bad input gets its documented answer, others keep receiving', () => {
  let app: ExampleApp;
  let admin: TestApiToken;
  beforeAll(async () => {
    app = await bootExample({
      realtimeConfig: { socket: { enabled: false }, graphql: { maxSubscriptionsPerConnection: 2, maxDepth: 3, maxMessageBytes: 2048, connectionInitTimeoutMs: 500 } },
    });
    admin = await createApiToken(app.strapi, 'full-access');
    await grant(app.strapi, 'public', READ_EVERYTHING);
  });
  afterAll(() => app?.stop());

  const rawSocket = async () => {
    const socket = new WebSocket(`${app.wsUrl}/graphql`, 'graphql-transport-ws');
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
    const messages: any[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    return { socket, closed, messages };
  };

  it('keeps a healthy client receiving while others misbehave', async () => {
    const healthy = connectWs(app);
    const sub = healthy.subscribe(`subscription { articleCreated { title } }`);
    await settle(200);

    // Malformed frame → 4400.
    const garbage = await rawSocket();
    garbage.socket.send('{not json');
    expect((await garbage.closed).code).toBe(4400);

    // Subscribe before connection_init → 4401.
    const early = await rawSocket();
    early.socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { articleCreated { title } }' } }));
    expect((await early.closed).code).toBe(4401);

    // No connection_init in time → 4408.
    const silent = await rawSocket();
    expect((await silent.closed).code).toBe(4408);

    // Oversized message → 1009.
    const big = await rawSocket();
    big.socket.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(5000) } }));
    expect((await big.closed).code).toBe(1009);

    // Two connection_init → 4429.
    const twice = await rawSocket();
    twice.socket.send(JSON.stringify({ type: 'connection_init' }));
    twice.socket.send(JSON.stringify({ type: 'connection_init' }));
    expect((await twice.closed).code).toBe(4429);

    // Only subscriptions-transport-ws's protocol offered: no subprotocol is selected, so the client gives up at once.
    const legacy = new WebSocket(`${app.wsUrl}/graphql`, 'graphql-ws');
    expect(await new Promise((resolve) => legacy.once('error', (error) => resolve(error.message)))).toBe('Server sent no subprotocol');

    await rest(app, 'POST', '/api/articles', { token: admin.accessKey, body: { data: { title: 'Still here' } } });
    expect((await sub.waitForResults(1))[0].data).toEqual({ articleCreated: { title: 'Still here' } });
    void healthy.dispose();
  });

  it('invalid documents, depth and subscription limits are errors on the operation; the connection stays', async () => {
    const client = connectWs(app);
    const syntax = client.subscribe(`subscription { articleCreated { title `);
    expect(errorMessages(await syntax.waitForError()).join()).toMatch(/Syntax Error/);
    const unknown = client.subscribe(`subscription { nothingHere { id } }`);
    expect(errorMessages(await unknown.waitForError()).join()).toMatch(/Cannot query field "nothingHere"/);
    const deep = client.subscribe(`subscription { articleCreated { category { articles { category { name } } } } }`);
    expect(errorMessages(await deep.waitForError()).join()).toMatch(/maximum is 3/);
    const badVariables = client.subscribe(`subscription($f: ArticleFiltersInput) { articleCreated(filters: $f) { title } }`, { f: { views: { eq: 'many' } } });
    expect(errorMessages(await badVariables.waitForError()).join()).toMatch(/Int cannot represent/);

    const first = client.subscribe(`subscription { articleCreated { title } }`);
    const second = client.subscribe(`subscription { articleUpdated { title } }`);
    await settle(200);
    const third = client.subscribe(`subscription { articleDeleted { documentId } }`);
    expect(errorMessages(await third.waitForError()).join()).toMatch(/Too many subscriptions/);
    await rest(app, 'POST', '/api/articles', { token: admin.accessKey, body: { data: { title: 'Limits' } } });
    await first.waitForResults(1);
    expect(client.closes).toEqual([]);
    second.dispose();
    void client.dispose();
  });

  it('a bad token closes with 4403; an expired JWT too; a token expiring while connected closes with 4403', async () => {
    const bad = connectWs(app, { token: 'garbage' });
    const badSub = bad.subscribe(`subscription { articleCreated { title } }`);
    expect(await bad.waitForClose()).toMatchObject({ code: 4403, reason: 'Forbidden: Invalid token (INVALID_TOKEN)' });
    void badSub;

    await grant(app.strapi, 'authenticated', READ_ARTICLES);
    const user = await registerUser(app);
    const expired = connectWs(app, { token: issueJwt(app.strapi, user.id, -5) });
    expired.subscribe(`subscription { articleCreated { title } }`);
    expect(await expired.waitForClose()).toMatchObject({ code: 4403, reason: expect.stringMatching(/expired/) });

    const shortLived = connectWs(app, { token: issueJwt(app.strapi, user.id, 2) });
    const sub = shortLived.subscribe(`subscription { articleCreated { title } }`);
    await settle(300);
    await rest(app, 'POST', '/api/articles', { token: admin.accessKey, body: { data: { title: 'Before expiry' } } });
    await sub.waitForResults(1);
    expect(await shortLived.waitForClose(4000)).toMatchObject({ code: 4403, reason: 'Forbidden: token expired' });
  });

  it('a user blocked while connected is disconnected (4403)', async () => {
    await grant(app.strapi, 'authenticated', READ_ARTICLES);
    const user = await registerUser(app);
    const client = connectWs(app, { token: user.jwt });
    const sub = client.subscribe(`subscription { articleCreated { title } }`);
    await settle(300);
    await app.strapi.db.query('plugin::users-permissions.user').update({ where: { id: user.id }, data: { blocked: true } });
    expect(await client.waitForClose()).toMatchObject({ code: 4403, reason: expect.stringMatching(/blocked/) });
    void sub;
  });

  it('upgrades to unknown paths are refused at once, not left hanging', async () => {
    const socket = new WebSocket(`${app.wsUrl}/nowhere`);
    const outcome = await new Promise<string>((resolve) => {
      socket.once('unexpected-response', (_req, res) => resolve(`status ${res.statusCode}`));
      socket.once('error', (error) => resolve(`error ${error.message}`));
    });
    expect(outcome).toMatch(/404/);
  });
});
