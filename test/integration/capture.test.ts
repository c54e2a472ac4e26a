import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { createApiToken, type TestApiToken } from '../harness/principals';
import { expectOk, rest } from '../harness/rest';
import { recordChanges } from '../harness/change-recorder';
import { settle, waitFor } from '../harness/wait';

const ARTICLE = 'api::article.article';

describe('change capture (real example app)', () => {
  let app: ExampleApp;
  let admin: TestApiToken;
  let recorder: ReturnType<typeof recordChanges>;

  beforeAll(async () => {
    app = await bootExample();
    admin = await createApiToken(app.strapi, 'full-access');
    recorder = recordChanges(app.strapi);
  });
  afterAll(() => app?.stop());
  beforeEach(() => recorder.clear());

  const documents = (uid: string) => app.strapi.documents(uid as never) as any;

  it('a REST create on a draft & publish type is one `created` event of the published version, populated', async () => {
    const category = expectOk(await rest(app, 'POST', '/api/categories', { token: admin.accessKey, body: { data: { name: 'Science' } } }), 'category');
    recorder.clear();
    const created = expectOk(
      await rest(app, 'POST', '/api/articles', {
        token: admin.accessKey,
        body: { data: { title: 'Over REST', internalNotes: 'private', category: category.data.documentId, seo: { metaTitle: 'SEO' } } },
      }),
      'create article',
    );
    const [event] = await waitFor(() => recorder.of(created.data.documentId).length > 0 && recorder.of(created.data.documentId), 'created event');
    await settle();
    expect(recorder.of(created.data.documentId)).toHaveLength(1);
    expect(event).toMatchObject({ uid: ARTICLE, action: 'created', status: 'published', documentId: created.data.documentId, locale: null });
    expect(event.id).toEqual(expect.any(String));
    expect(Date.parse(event.at)).not.toBeNaN();
    // The raw entry is populated (relations, components) so every transport can resolve selections from it.
    expect(event.entry).toMatchObject({ title: 'Over REST', category: { name: 'Science' }, seo: { metaTitle: 'SEO' } });
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });

  it('Document Service writes: draft create, update, publish, unpublish, discard, delete: one event each, right status', async () => {
    const draft = await documents(ARTICLE).create({ data: { title: 'Draft' } });
    await documents(ARTICLE).update({ documentId: draft.documentId, data: { title: 'Draft 2' } });
    await documents(ARTICLE).publish({ documentId: draft.documentId });
    await documents(ARTICLE).update({ documentId: draft.documentId, data: { title: 'Draft 3' } });
    await documents(ARTICLE).discardDraft({ documentId: draft.documentId });
    await documents(ARTICLE).unpublish({ documentId: draft.documentId });
    await documents(ARTICLE).delete({ documentId: draft.documentId });

    const events = await waitFor(() => recorder.of(draft.documentId).length >= 7 && recorder.of(draft.documentId), 'seven events');
    await settle();
    expect(recorder.of(draft.documentId).map((e) => [e.action, e.status])).toEqual([
      ['created', 'draft'],
      ['updated', 'draft'],
      ['published', 'published'],
      ['updated', 'draft'],
      ['draftDiscarded', 'draft'],
      ['unpublished', 'published'],
      ['deleted', 'draft'],
    ]);
    expect(events[2].entry).toMatchObject({ title: 'Draft 2', publishedAt: expect.any(String) });
    expect(events[4].entry).toMatchObject({ title: 'Draft 2' });
    // Deletions and unpublications carry the reference only.
    expect(events[5].entry).toBeNull();
    expect(events[6].entry).toBeNull();
  });

  it('deleting a published document is a `published` deletion (its readers knew it)', async () => {
    const doc = await documents(ARTICLE).create({ data: { title: 'To delete' }, status: 'published' });
    await documents(ARTICLE).delete({ documentId: doc.documentId });
    await waitFor(() => recorder.of(doc.documentId).length >= 2, 'two events');
    expect(recorder.of(doc.documentId).map((e) => [e.action, e.status])).toEqual([
      ['created', 'published'],
      ['deleted', 'published'],
    ]);
  });

  it('a single type emits too', async () => {
    const home = await documents('api::homepage.homepage').create({ data: { headline: 'Hello' } });
    await documents('api::homepage.homepage').publish({ documentId: home.documentId });
    await waitFor(() => recorder.of(home.documentId).length >= 2, 'homepage events');
    expect(recorder.of(home.documentId).map((e) => [e.uid, e.action])).toEqual([
      ['api::homepage.homepage', 'created'],
      ['api::homepage.homepage', 'published'],
    ]);
  });

  it('a write inside a transaction that rolls back emits nothing; one that commits emits after the commit', async () => {
    await expect(
      app.strapi.db.transaction(async () => {
        await documents('api::tag.tag').create({ data: { name: 'rolled back' } });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    let seenInsideTransaction = -1;
    await app.strapi.db.transaction(async () => {
      await documents('api::tag.tag').create({ data: { name: 'committed' } });
      await settle(100);
      seenInsideTransaction = recorder.events.length;
    });
    await waitFor(() => recorder.events.length > 0, 'committed event');
    await settle();
    expect(seenInsideTransaction).toBe(0);
    expect(recorder.events.map((e) => e.entry?.name)).toEqual(['committed']);
  });

  it('bulk publish from the admin panel (content-manager, one transaction) emits one event per document', async () => {
    const a = await documents(ARTICLE).create({ data: { title: 'Bulk A' } });
    const b = await documents(ARTICLE).create({ data: { title: 'Bulk B' } });
    await waitFor(() => recorder.of(b.documentId).length > 0, 'the creations');
    recorder.clear();
    const manager = app.strapi.plugin('content-manager').service('document-manager') as {
      publishMany(uid: string, ids: string[], locale?: string): Promise<number>;
    };
    await manager.publishMany(ARTICLE, [a.documentId, b.documentId]);
    await waitFor(() => recorder.events.length >= 2, 'bulk events');
    await settle();
    expect(recorder.events.map((e) => [e.documentId, e.action]).sort()).toEqual(
      [
        [a.documentId, 'published'],
        [b.documentId, 'published'],
      ].sort(),
    );
  });

  it('a @strapi/plugin-graphql mutation emits like any other write', async () => {
    const response = await fetch(`${app.httpUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.accessKey}` },
      body: JSON.stringify({ query: 'mutation { createTag(data: { name: "from graphql" }) { documentId } }' }),
    });
    const { data } = await response.json();
    const [event] = await waitFor(() => recorder.of(data.createTag.documentId).length > 0 && recorder.of(data.createTag.documentId), 'the event');
    expect(event).toMatchObject({ uid: 'api::tag.tag', action: 'created', entry: { name: 'from graphql' } });
  });

  it('reads never emit', async () => {
    await documents(ARTICLE).findMany({});
    await rest(app, 'GET', '/api/articles', { token: admin.accessKey });
    await settle();
    expect(recorder.events).toEqual([]);
  });
});

describe('change capture follows the config', () => {
  let app: ExampleApp;
  beforeAll(async () => {
    app = await bootExample({
      realtimeConfig: { contentTypes: [{ uid: 'api::article.article', actions: ['create', 'delete'] }] },
    });
  });
  afterAll(() => app?.stop());

  it('only configured content types and actions emit', async () => {
    const recorder = recordChanges(app.strapi);
    const documents = (uid: string) => app.strapi.documents(uid as never) as any;
    const doc = await documents(ARTICLE).create({ data: { title: 'A' } });
    await documents(ARTICLE).update({ documentId: doc.documentId, data: { title: 'B' } });
    await documents('api::tag.tag').create({ data: { name: 'not configured' } });
    await documents(ARTICLE).delete({ documentId: doc.documentId });
    await waitFor(() => recorder.events.length >= 2, 'events');
    await settle();
    expect(recorder.events.map((e) => [e.uid, e.action])).toEqual([
      [ARTICLE, 'created'],
      [ARTICLE, 'deleted'],
    ]);
  });
});
