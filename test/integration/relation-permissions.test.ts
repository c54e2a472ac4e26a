import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { createApiToken, createRole, registerUser, type TestUser } from '../harness/principals';
import { expectOk, rest } from '../harness/rest';
import { connectWs } from '../harness/graphql-clients';
import { closeAllClients, connectClient, nextEvent } from '../harness/socket-client';
import { settle } from '../harness/wait';
import { ARTICLE } from '../harness/permission-matrix';

/**
 * Strapi's output sanitizer keeps a relation only where the principal may `find` its target (`findOne` is not
 * enough). A subscription must show exactly what REST shows the same principal, on every transport, and filters
 * must not probe what REST hides.
 */
describe('relations follow the same rule as REST (find on the target)', () => {
  let app: ExampleApp;
  let user: TestUser;
  let admin: { accessKey: string };

  beforeAll(async () => {
    app = await bootExample({ realtimeConfig: { contentTypes: [{ uid: ARTICLE, populate: ['category', 'author'] }] } });
    admin = await createApiToken(app.strapi, 'full-access');
    const role = await createRole(app.strapi, 'findOne on relations', [
      `${ARTICLE}.find`,
      `${ARTICLE}.findOne`,
      'api::category.category.findOne',
      'plugin::users-permissions.user.findOne',
    ]);
    user = await registerUser(app, { roleId: role.id });
  });
  afterAll(async () => {
    closeAllClients();
    await app?.stop();
  });

  it('REST, graphql-ws and Socket.IO agree: no category, no author, and no filter oracle', async () => {
    const ws = connectWs(app, { token: user.jwt });
    const selected = ws.subscribe(`subscription { articleCreated { title category { name } author { username email provider confirmed blocked } } }`);
    const probe = ws.subscribe(`subscription { articleCreated(filters: { author: { email: { startsWith: "${user.email.slice(0, 3)}" } }) { title } }`);
    const socket = await connectClient(app, { auth: { strategy: 'jwt', token: user.jwt } });
    const socketEvent = nextEvent(socket, 'article:create');
    await settle(200);

    const category = expectOk(await rest(app, 'POST', '/api/categories', { token: admin.accessKey, body: { data: { name: 'Secret category', slug: 'secret-category' } } }), 'category').data;
    const article = expectOk(
      await rest(app, 'POST', '/api/articles', { token: admin.accessKey, body: { data: { title: 'Relations', category: category.documentId, author: user.id } } }),
      'article',
    ).data;

    const viaRest = expectOk(await rest(app, 'GET', `/api/articles/${article.documentId}?populate[0]=category&populate[1]=author`, { token: user.jwt }), 'REST read').data;
    expect(viaRest.title).toBe('Relations');
    expect(viaRest).not.toHaveProperty('category');
    expect(viaRest).not.toHaveProperty('author');

    expect((await selected.waitForResults(1))[0].data).toEqual({ articleCreated: { title: 'Relations', category: null, author: null } });
    const payload = await socketEvent;
    expect(payload.title).toBe('Relations');
    expect(payload).not.toHaveProperty('category');
    expect(payload).not.toHaveProperty('author');
    await settle();
    expect(probe.results).toEqual([]);
    void ws.dispose();
  });
});
