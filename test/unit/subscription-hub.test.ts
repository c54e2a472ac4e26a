/**
 * The fan-out engine with the real schema, pipeline and resolver contexts on the fake Strapi: who is grouped
 * with whom, which events each view and argument lets through, and that one execution serves a whole group.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import type { ChangeEvent } from '../../src/events/change-event';
import type { Principal } from '../../src/pipeline/principal';
import { createSerialQueue } from '../../src/util/serial-queue';
import { ARTICLE, CATEGORY } from './fakes/content-models';
import { AUTHENTICATED_ROLE, PUBLIC_ROLE } from './fakes/fake-strapi';
import { articleEntry, changeEvent, createRealtimeFixture, subscribe, type RealtimeFixture } from './fakes/realtime-fixture';

const READ_ALL = [`${ARTICLE}.find`, `${CATEGORY}.find`];
const CREATED = 'subscription Created($status: PublicationStatus, $documentId: ID, $locale: I18NLocaleCode) { articleCreated(status: $status, documentId: $documentId, locale: $locale) { documentId title } }';
const CREATED_WITH_CATEGORY = 'subscription { articleCreated { title category { name } } }';
const DELETED = 'subscription Deleted($status: PublicationStatus) { articleDeleted(status: $status) { documentId locale } }';

let fixture: RealtimeFixture;
let anonymous: Principal;
let member: Principal;

const setup = async (config: unknown = {}) => {
  fixture = createRealtimeFixture(config);
  fixture.strapi.grant(PUBLIC_ROLE, READ_ALL);
  fixture.strapi.grant(AUTHENTICATED_ROLE, READ_ALL);
  anonymous = await fixture.pipeline.resolvePrincipal(null);
  member = await fixture.pipeline.resolvePrincipal(fixture.strapi.userToken(1, AUTHENTICATED_ROLE));
  return fixture;
};
afterEach(() => fixture?.dispose());

const titles = (subscriber: Awaited<ReturnType<typeof subscribe>>) =>
  subscriber.data().map((data) => (Object.values(data)[0] as { title?: string; documentId: string }).title ?? (Object.values(data)[0] as { documentId: string }).documentId);

describe('groups', () => {
  it('one group per audience, operation and variables: one execution and the same bytes for all its members', async () => {
    const { hub } = await setup();
    const first = await subscribe(hub, anonymous, CREATED, { status: 'PUBLISHED', locale: 'en' });
    // Same variables in another order: same group.
    const second = await subscribe(hub, anonymous, CREATED, { locale: 'en', status: 'PUBLISHED' });
    const otherAudience = await subscribe(hub, member, CREATED, { status: 'PUBLISHED', locale: 'en' });
    const otherVariables = await subscribe(hub, anonymous, CREATED, { locale: 'en' });
    expect(hub.stats()).toMatchObject({ groups: 3, subscribers: 4, audiences: 2, byContentType: { [ARTICLE]: 4 } });

    await hub.dispatch(changeEvent());
    expect(hub.stats().executions).toBe(3);
    // Deliveries are reported per group (2 members in one), never per subscriber.
    expect(hub.deliveries.map(({ audienceKey, count }) => `${audienceKey} ${count}`).sort()).toEqual([`${anonymous.audienceKey} 1`, `${anonymous.audienceKey} 2`, `${member.audienceKey} 1`].sort());
    expect(first.received).toHaveLength(1);
    expect(second.received[0]).toBe(first.received[0]);
    expect(second.received[0].bytes).toBe(first.received[0].bytes);
    expect(JSON.parse(first.received[0].bytes.toString())).toEqual({
      data: { articleCreated: { documentId: 'article-1', title: 'Hello' } },
      extensions: { cursor: first.received[0].cursor },
    });
    expect(otherAudience.received[0]).not.toBe(first.received[0]);
    expect(otherAudience.received[0].audienceKey).toBe(`role:${AUTHENTICATED_ROLE}`);
    expect(otherVariables.received).toHaveLength(1);
  });

  it('a group ends with its last member, and a member that left receives nothing', async () => {
    const { hub } = await setup();
    const first = await subscribe(hub, anonymous, CREATED);
    const second = await subscribe(hub, anonymous, CREATED);
    first.unsubscribe();
    await hub.dispatch(changeEvent());
    expect(first.received).toHaveLength(0);
    expect(second.received).toHaveLength(1);
    second.unsubscribe();
    expect(hub.stats()).toMatchObject({ groups: 0, subscribers: 0, audiences: 0, byContentType: {} });
  });

  it('events of other content types or actions reach no group', async () => {
    const { hub } = await setup();
    const subscriber = await subscribe(hub, anonymous, CREATED);
    await hub.dispatch(changeEvent({ action: 'updated' }));
    await hub.dispatch(changeEvent({ uid: CATEGORY, entry: { documentId: 'category-7', name: 'News' }, locale: null }));
    expect(subscriber.received).toHaveLength(0);
    expect(hub.stats().executions).toBe(0);
  });
});

describe('views and arguments', () => {
  it('the published view gets published versions; the draft view drafts, and deletions of any kind', async () => {
    const { hub } = await setup();
    const published = await subscribe(hub, anonymous, CREATED);
    const drafts = await subscribe(hub, anonymous, CREATED, { status: 'DRAFT' });
    const deletedPublished = await subscribe(hub, anonymous, DELETED);
    const deletedDraft = await subscribe(hub, anonymous, DELETED, { status: 'DRAFT' });

    await hub.dispatch(changeEvent({ status: 'draft', entry: articleEntry({ title: 'Draft', publishedAt: null }) }));
    await hub.dispatch(changeEvent({ entry: articleEntry({ title: 'Live' }) }));
    await hub.dispatch(changeEvent({ action: 'deleted', status: 'draft', entry: null, documentId: 'draft-only' }));
    await hub.dispatch(changeEvent({ action: 'deleted', status: 'published', entry: null, documentId: 'was-live' }));

    expect(titles(published)).toEqual(['Live']);
    expect(titles(drafts)).toEqual(['Draft']);
    expect(titles(deletedPublished)).toEqual(['was-live']);
    expect(titles(deletedDraft)).toEqual(['draft-only', 'was-live']);
  });

  it('types without draft and publish ignore the status argument', async () => {
    const { hub } = await setup();
    const subscriber = await subscribe(hub, anonymous, 'subscription { categoryCreated(status: DRAFT) { name } }');
    await hub.dispatch(changeEvent({ uid: CATEGORY, locale: null, entry: { documentId: 'category-1', name: 'Plain' } }));
    expect(subscriber.data()).toEqual([{ categoryCreated: { name: 'Plain' } }]);
  });

  it('documentId and locale narrow the events; an event without locale reaches every locale', async () => {
    const { hub } = await setup();
    const one = await subscribe(hub, anonymous, CREATED, { documentId: 'article-2' });
    const french = await subscribe(hub, anonymous, CREATED, { locale: 'fr' });
    await hub.dispatch(changeEvent({ documentId: 'article-1', entry: articleEntry({ documentId: 'article-1', title: 'one, en' }) }));
    await hub.dispatch(changeEvent({ documentId: 'article-2', locale: 'fr', entry: articleEntry({ documentId: 'article-2', title: 'two, fr' }) }));
    await hub.dispatch(changeEvent({ documentId: 'article-3', locale: null, entry: articleEntry({ documentId: 'article-3', title: 'three, no locale' }) }));
    expect(titles(one)).toEqual(['two, fr']);
    expect(titles(french)).toEqual(['two, fr', 'three, no locale']);
  });

  it('filters are evaluated against the entry, relations included', async () => {
    const { hub } = await setup();
    const tutorials = await subscribe(hub, anonymous, 'subscription { articleCreated(filters: { kind: { eq: "tutorial" }, views: { gte: 10 } }) { title } }');
    const news = await subscribe(hub, anonymous, 'subscription { articleCreated(filters: { category: { name: { eqi: "news" } } }) { title } }');

    await hub.dispatch(changeEvent({ entry: articleEntry({ title: 'popular tutorial', kind: 'tutorial', views: 50 }) }));
    await hub.dispatch(changeEvent({ entry: articleEntry({ title: 'quiet tutorial', kind: 'tutorial', views: 1 }) }));
    await hub.dispatch(changeEvent({ entry: articleEntry({ title: 'other category', category: { documentId: 'c2', name: 'Sports' } }) }));
    expect(titles(tutorials)).toEqual(['popular tutorial']);
    expect(titles(news)).toEqual(['popular tutorial', 'quiet tutorial']);
  });

  it('a relation filter the audience may not `find` matches nothing (it would reveal the relation)', async () => {
    const { hub, strapi } = await setup();
    strapi.grant(PUBLIC_ROLE, [`${ARTICLE}.find`]);
    const subscriber = await subscribe(hub, anonymous, 'subscription { articleCreated(filters: { category: { name: { eq: "News" } } }) { title } }');
    const relation = await subscribe(hub, anonymous, CREATED_WITH_CATEGORY);
    await hub.dispatch(changeEvent());
    expect(subscriber.received).toHaveLength(0);
    expect(relation.data()).toEqual([{ articleCreated: { title: 'Hello', category: null } }]);
  });
});

describe('refusals', () => {
  it('refuses without read permission, drafts when the config forbids them, and hostile inputs, holding nothing', async () => {
    const { hub, strapi } = await setup({ drafts: false, graphql: { maxInputDepth: 4, maxFilterSize: 4 } });
    strapi.grant(PUBLIC_ROLE, [`${CATEGORY}.find`, `${ARTICLE}.create`]);
    const codes = async (principal: Principal, query: string, variables?: Record<string, unknown>) => {
      const { outcome } = await subscribe(hub, principal, query, variables);
      return outcome.ok ? 'ok' : outcome.errors.map((error) => error.extensions.code).join();
    };
    expect(await codes(anonymous, CREATED)).toBe('FORBIDDEN');
    expect(await codes(member, CREATED, { status: 'DRAFT' })).toBe('FORBIDDEN');
    expect(await codes(member, 'query { realtimeSubscriptions }')).toBe('BAD_USER_INPUT');
    expect(await codes(member, CREATED, { documentId: { a: { b: { c: { d: { e: 1 } } } } } })).toBe('INPUT_DEPTH_LIMIT_EXCEEDED');
    expect(await codes(member, 'subscription($f: ArticleFiltersInput) { articleCreated(filters: $f) { title } }', { f: { title: { in: ['a', 'b', 'c', 'd', 'e'] } } })).toBe('FILTER_LIMIT_EXCEEDED');
    expect(await codes(member, CREATED, { status: 'SOMETIMES' })).toBe('');
    expect(hub.stats()).toMatchObject({ groups: 0, subscribers: 0 });
  });
});

describe('failures', () => {
  it('a subscriber that throws does not keep the rest of its group from the message', async () => {
    const { hub, strapi } = await setup();
    const healthy = await subscribe(hub, anonymous, CREATED);
    await hub.subscribe({
      principal: anonymous,
      document: parse(CREATED),
      sink: {
        transport: 'graphql-ws',
        next() {
          throw new Error('socket gone');
        },
      },
    });
    const late = await subscribe(hub, anonymous, CREATED);
    await hub.dispatch(changeEvent());
    expect(healthy.received).toHaveLength(1);
    expect(late.received).toHaveLength(1);
    expect(strapi.logs.map((line) => line.message)).toEqual([expect.stringContaining('writing to a subscriber failed: Error: socket gone')]);
  });

  it('a failing group neither stops the other groups nor lets the next event overtake the one it failed on', async () => {
    const { hub, strapi, pipeline } = await setup();
    // The member's audience fails to prepare the first event, slowly; everyone else is served at once.
    let failFirst: (error: Error) => void = () => undefined;
    const prepare = pipeline.prepare;
    const first = changeEvent({ entry: articleEntry({ title: 'first' }) });
    pipeline.prepare = (subject, audienceKey) =>
      subject === first && audienceKey === member.audienceKey ? new Promise((_resolve, reject) => (failFirst = reject)) : prepare(subject, audienceKey);

    const healthy = await subscribe(hub, anonymous, CREATED);
    const failing = await subscribe(hub, member, CREATED);
    // How the transport dispatches: one event after the other.
    const queue = createSerialQueue((error) => {
      throw error;
    });
    const dispatched: ChangeEvent[] = [];
    const deliver = (event: ChangeEvent) => queue.push(() => hub.dispatch(event).then(() => void dispatched.push(event)));
    const both = Promise.all([deliver(first), deliver(changeEvent({ entry: articleEntry({ title: 'second' }) }))]);

    await new Promise((resolve) => setImmediate(resolve));
    expect(titles(healthy)).toEqual(['first']);
    failFirst(new Error('database went away'));
    await both;
    expect(dispatched).toHaveLength(2);
    expect(titles(healthy)).toEqual(['first', 'second']);
    expect(titles(failing)).toEqual(['second']);
    expect(strapi.logs.map((line) => line.message)).toEqual([
      expect.stringContaining('delivering api::article.article created to a group failed: Error: database went away'),
    ]);
  });
});
