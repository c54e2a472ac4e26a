import { describe, expect, it, vi } from 'vitest';
import { createSensitiveFieldFilter } from '../../src/pipeline/sensitive-fields';
import { describeChanges } from '../../src/capture/describe-changes';
import { credentialFrom } from '../../src/transports/graphql/credential';
import { expiryTimer } from '../../src/transports/expiry-timer';
import { applyListArguments } from '../../src/schema/list-arguments';
import type { ContentModel } from '../../src/schema/content-model';

describe('sensitive-field blocklist', () => {
  const strip = createSensitiveFieldFilter(['password', 'apiKey', 'token']);
  it('removes blocklisted keys at any depth, exact match ignoring case, and nothing else', () => {
    expect(
      strip({
        title: 'a',
        Password: 'x',
        nested: { APIKEY: 'y', tokenCount: 3, list: [{ token: 'z', keep: 1 }] },
        when: new Date(0),
      }),
    ).toEqual({ title: 'a', nested: { tokenCount: 3, list: [{ keep: 1 }] }, when: new Date(0) });
  });
});

describe('document-level changes from Document Service results', () => {
  const draft = { documentId: 'd', locale: 'en', publishedAt: null };
  const published = { documentId: 'd', locale: 'en', publishedAt: '2026-01-01' };
  it('one change per document and locale, with the version status', () => {
    expect(describeChanges('create', draft, true)).toMatchObject([{ action: 'created', status: 'draft', locale: 'en' }]);
    expect(describeChanges('update', published, true)).toMatchObject([{ action: 'updated', status: 'published' }]);
    expect(describeChanges('publish', { documentId: 'd', entries: [published, { ...published, locale: 'fr' }] }, true)).toMatchObject([
      { action: 'published', locale: 'en' },
      { action: 'published', locale: 'fr' },
    ]);
    expect(describeChanges('unpublish', { documentId: 'd', entries: [published] }, true)).toMatchObject([
      { action: 'unpublished', status: 'published', written: null },
    ]);
    // A delete removes draft and published rows of a locale: still one event.
    expect(describeChanges('delete', { documentId: 'd', entries: [draft, published] }, true)).toMatchObject([{ action: 'deleted', status: 'published' }]);
    expect(describeChanges('delete', { documentId: 'd', entries: [draft] }, true)).toMatchObject([{ action: 'deleted', status: 'draft' }]);
    expect(describeChanges('create', draft, false)).toMatchObject([{ status: 'published' }]);
  });
  it('reads and failed writes are not changes', () => {
    expect(describeChanges('findMany', [published], true)).toEqual([]);
    expect(describeChanges('update', null, true)).toEqual([]);
  });
});

describe('credential in connection_init', () => {
  it.each([
    [{ authorization: 'Bearer abc' }, 'abc'],
    [{ Authorization: 'bearer  abc ' }, 'abc'],
    [{ token: 'abc' }, 'abc'],
    [{ authorization: '' }, null],
    [{ token: 42 }, null],
    [null, null],
    ['Bearer abc', null],
  ])('%j → %s', (payload, expected) => expect(credentialFrom(payload)).toBe(expected));
});

describe('expiry timer', () => {
  it('fires at once for a past expiry, never for null, and can be cancelled', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    expiryTimer(Date.now() - 1, fired);
    expect(fired).toHaveBeenCalledTimes(1);
    expiryTimer(null, fired)();
    const cancel = expiryTimer(Date.now() + 1000, fired);
    cancel();
    vi.advanceTimersByTime(2000);
    expect(fired).toHaveBeenCalledTimes(1);
    // Beyond setTimeout's 24.8-day limit it re-arms instead of firing early.
    expiryTimer(Date.now() + 40 * 24 * 3600 * 1000, fired);
    vi.advanceTimersByTime(30 * 24 * 3600 * 1000);
    expect(fired).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(11 * 24 * 3600 * 1000);
    expect(fired).toHaveBeenCalledTimes(2);
    vi.useRealTimers();
  });
});

describe('to-many relation arguments', () => {
  const tag: ContentModel = { uid: 'api::tag.tag', modelType: 'contentType', info: {}, attributes: { name: { type: 'string' } } };
  const context = { getModel: () => tag, loadRelation: async () => null };
  const tags = ['b', 'c', 'a', 'd'].map((name) => ({ name }));
  it('filters, sorts and paginates like plugin-graphql', async () => {
    expect(await applyListArguments(tags, { sort: ['name:desc'] }, tag, context)).toEqual(['d', 'c', 'b', 'a'].map((name) => ({ name })));
    expect(await applyListArguments(tags, { filters: { name: { in: ['a', 'b'] } }, sort: ['name'] }, tag, context)).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(await applyListArguments(tags, { sort: ['name'], pagination: { page: 2, pageSize: 3 } }, tag, context)).toEqual([{ name: 'd' }]);
    expect(await applyListArguments(tags, { sort: ['name'], pagination: { start: 1, limit: 2 } }, tag, context)).toEqual([{ name: 'b' }, { name: 'c' }]);
  });
});
