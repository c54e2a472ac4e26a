/**
 * Capture (Document Service middleware -> ChangeEvents) on the fake Strapi: which calls become which events,
 * with what entry, when they leave (after commit, never on rollback), and in what order.
 */
import { waitFor } from '../harness/wait';
import { afterEach, describe, expect, it } from 'vitest';
import { startDocumentCapture } from '../../src/capture/document-capture';
import { resolveContentTypeSettings } from '../../src/config/content-type-settings';
import { normalizeConfig } from '../../src/config/normalize';
import type { BusMessage, ChangeEvent } from '../../src/events/change-event';
import type { DocumentQuery } from '../../src/strapi/strapi-adapter';
import { ARTICLE, CATEGORY } from './fakes/content-models';
import { createFakeStrapi, type FakeStrapi, type StoredEntry } from './fakes/fake-strapi';

let stop: () => Promise<void> = async () => undefined;
afterEach(() => stop());

const setup = (userConfig: unknown = {}, pace: () => Promise<void> | null = () => null, databaseConnections = 4) => {
  const strapi = createFakeStrapi();
  strapi.databaseConnections = () => databaseConnections;
  const settings = resolveContentTypeSettings(strapi, normalizeConfig(userConfig, { NODE_ENV: 'test' }));
  const published: BusMessage[] = [];
  const captured: ChangeEvent[] = [];
  stop = startDocumentCapture({
    strapi,
    settings,
    publish: async (message) => void published.push(message),
    onCaptured: (event) => captured.push(event),
    pace,
  });
  /** Every event published so far, once capture's queue is idle. */
  const events = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return published.map((message) => (message.type === 'change' ? message.event : null));
  };
  return { strapi, published, captured, events };
};

const NOW = '2026-01-02T00:00:00.000Z';
const store = (strapi: FakeStrapi, ...entries: StoredEntry[]) => strapi.entries.push(...entries);
const article = (fields: Partial<StoredEntry> = {}): StoredEntry => ({
  uid: ARTICLE,
  id: 1,
  documentId: 'a1',
  locale: 'en',
  title: 'Stored',
  internalNotes: 'raw',
  category: 'c1',
  publishedAt: NOW,
  ...fields,
});
const category: StoredEntry = { uid: CATEGORY, id: 5, documentId: 'c1', name: 'News', secretCode: 's' };
/** What Strapi's create/update returns: the written row, relations unpopulated. */
const written = ({ uid: _uid, category: _category, ...entry }: StoredEntry) => entry;

describe('capture', () => {
  it('turns a create into one event with the entry fetched again, populated (raw: sanitizing is per audience later)', async () => {
    const { strapi, events, captured } = setup();
    store(strapi, category, article());
    const result = await strapi.documentCall({ uid: ARTICLE, action: 'create', params: { status: 'published' } }, written(article()));
    expect(result).toEqual(written(article()));
    const [event] = await events();
    expect(event).toMatchObject({
      uid: ARTICLE,
      action: 'created',
      documentId: 'a1',
      locale: 'en',
      status: 'published',
      entry: { title: 'Stored', internalNotes: 'raw', category: { documentId: 'c1', name: 'News' } },
    });
    expect(event?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(captured).toEqual([event]);
  });

  it('ignores reads, content types that are not configured and actions that are not enabled', async () => {
    const { strapi, events } = setup({ contentTypes: [{ uid: ARTICLE, actions: ['publish'] }] });
    store(strapi, category, article());
    await strapi.documentCall({ uid: ARTICLE, action: 'findMany', params: {} }, [written(article())]);
    await strapi.documentCall({ uid: ARTICLE, action: 'findOne', params: {} }, written(article()));
    await strapi.documentCall({ uid: ARTICLE, action: 'create', params: {} }, written(article()));
    await strapi.documentCall({ uid: CATEGORY, action: 'create', params: {} }, written(category));
    expect(await events()).toEqual([]);
    await strapi.documentCall({ uid: ARTICLE, action: 'publish', params: {} }, { documentId: 'a1', entries: [written(article())] });
    expect((await events()).map((event) => event?.action)).toEqual(['published']);
  });

  it('publish, unpublish, discardDraft and delete are document-level events, one per locale', async () => {
    const { strapi, events } = setup();
    store(strapi, category, article(), article({ id: 2, locale: 'fr', title: 'Stocké' }), article({ id: 3, publishedAt: null, title: 'Draft' }));
    const en = written(article());
    const fr = written(article({ id: 2, locale: 'fr' }));
    await strapi.documentCall({ uid: ARTICLE, action: 'publish', params: {} }, { documentId: 'a1', entries: [en, fr] });
    await strapi.documentCall({ uid: ARTICLE, action: 'unpublish', params: {} }, { documentId: 'a1', entries: [en] });
    await strapi.documentCall({ uid: ARTICLE, action: 'discardDraft', params: {} }, { documentId: 'a1', entries: [{ ...en, publishedAt: null }] });
    // Deleting a locale removes its draft and published versions at once: one event, `published` (readers knew it).
    await strapi.documentCall(
      { uid: ARTICLE, action: 'delete', params: {} },
      { documentId: 'a1', entries: [{ ...en, publishedAt: null }, en, { ...fr, publishedAt: null }] },
    );
    const summary = (await events()).map((event) => [event?.action, event?.locale, event?.status, event?.entry === null ? null : (event?.entry as { title: string }).title]);
    expect(summary).toEqual([
      ['published', 'en', 'published', 'Stored'],
      ['published', 'fr', 'published', 'Stocké'],
      ['unpublished', 'en', 'published', null],
      ['draftDiscarded', 'en', 'draft', 'Draft'],
      ['deleted', 'en', 'published', null],
      // Only a draft existed in French: a deletion readers of the published view never knew about.
      ['deleted', 'fr', 'draft', null],
    ]);
  });

  it('waits for the surrounding transaction to commit, and sends nothing when it rolls back', async () => {
    const { strapi, events } = setup();
    store(strapi, category, article());
    await strapi.transaction(async () => {
      await strapi.documentCall({ uid: ARTICLE, action: 'create', params: {} }, written(article()));
      expect(await events()).toEqual([]);
    });
    expect(await events()).toHaveLength(1);
    await strapi.transaction(async () => {
      await strapi.documentCall({ uid: ARTICLE, action: 'update', params: {} }, written(article()));
    }, 'rollback');
    expect((await events()).map((event) => event?.action)).toEqual(['created']);
  });

  it('falls back to the written entry when populating fails or the document is already gone', async () => {
    const { strapi, events } = setup();
    strapi.failNext('findDocument', new Error('deadlock'));
    await strapi.documentCall({ uid: ARTICLE, action: 'create', params: {} }, written(article({ title: 'as written' })));
    // Not in the store: deleted right after it was written.
    await strapi.documentCall({ uid: ARTICLE, action: 'update', params: {} }, written(article({ documentId: 'gone', title: 'gone already' })));
    expect((await events()).map((event) => (event?.entry as { title: string }).title)).toEqual(['as written', 'gone already']);
    expect(strapi.logs.map((line) => line.message)).toEqual([
      expect.stringMatching(/^\[realtime\] populating api::article\.article a1 failed, sending the written entry: Error: deadlock/),
    ]);
  });

  it('keeps write order even when an earlier populate is slower', async () => {
    const { strapi, events } = setup();
    store(strapi, category, article({ documentId: 'slow' }), article({ documentId: 'fast', id: 2 }));
    const findDocument = strapi.findDocument;
    let releaseSlow: () => void = () => undefined;
    strapi.findDocument = async (uid: string, query: DocumentQuery) => {
      if (query.documentId === 'slow') await new Promise<void>((resolve) => (releaseSlow = resolve));
      return findDocument(uid, query);
    };
    await strapi.documentCall({ uid: ARTICLE, action: 'create', params: {} }, written(article({ documentId: 'slow' })));
    await strapi.documentCall({ uid: ARTICLE, action: 'create', params: {} }, written(article({ documentId: 'fast', id: 2 })));
    expect(await events()).toEqual([]);
    releaseSlow();
    expect((await events()).map((event) => event?.documentId)).toEqual(['slow', 'fast']);
  });

  it.each([
    { connections: 4, inFlight: 3 },
    { connections: 1, inFlight: 1 },
  ])('reads back the entries of several writes at the same time, one per database connection ($connections), and still publishes in commit order', async ({ connections, inFlight }) => {
    const { strapi, events } = setup({}, () => null, connections);
    const ids = ['d1', 'd2', 'd3'];
    store(strapi, category, ...ids.map((documentId, i) => article({ documentId, id: i + 1 })));
    const findDocument = strapi.findDocument;
    let reading = 0;
    let mostAtOnce = 0;
    const releases: (() => void)[] = [];
    strapi.findDocument = async (uid: string, query: DocumentQuery) => {
      mostAtOnce = Math.max(mostAtOnce, ++reading);
      await new Promise<void>((resolve) => releases.push(resolve));
      reading--;
      return findDocument(uid, query);
    };
    for (const [i, documentId] of ids.entries()) {
      await strapi.documentCall({ uid: ARTICLE, action: 'create', params: {} }, written(article({ documentId, id: i + 1 })));
    }
    // Release the latest read first: the events must still leave in commit order.
    await waitFor(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      releases.pop()?.();
      return (await events()).length === 3;
    }, 'three events');
    expect(mostAtOnce).toBe(inFlight);
    expect((await events()).map((event) => event?.documentId)).toEqual(ids);
  });

  it('the write never waits for, nor fails with, realtime work; a failing publish is logged and the next still goes', async () => {
    const strapi = createFakeStrapi();
    const settings = resolveContentTypeSettings(strapi, normalizeConfig({}, {}));
    const published: string[] = [];
    let fail = true;
    stop = startDocumentCapture({
      strapi,
      settings,
      publish: async (message) => {
        if (fail) {
          fail = false;
          throw new Error('bus down');
        }
        if (message.type === 'change') published.push(message.event.documentId);
      },
      pace: () => null,
      onCaptured: () => undefined,
    });
    store(strapi, category, article(), article({ documentId: 'a2', id: 2 }));
    await expect(strapi.documentCall({ uid: ARTICLE, action: 'create', params: {} }, written(article()))).resolves.toBeDefined();
    await strapi.documentCall({ uid: ARTICLE, action: 'create', params: {} }, written(article({ documentId: 'a2', id: 2 })));
    await stop();
    expect(published).toEqual(['a2']);
    expect(strapi.logs.map((line) => line.message)).toEqual([expect.stringContaining('capturing a change failed: Error: bus down')]);
  });

  it('a bulk write is read back and published over many slices: capture paces before each read and after each publish', async () => {
    const steps: string[] = [];
    const { strapi, published } = setup({}, () => {
      steps.push(`pause after ${published.length}`);
      // As the slices do when a slice has used its time: the next change waits for the I/O phase.
      return new Promise<void>((resolve) => setImmediate(resolve));
    });
    store(strapi, category, article(), article({ id: 2, locale: 'fr' }), article({ id: 3, locale: 'de' }));
    const entries = ['en', 'fr', 'de'].map((locale, i) => written(article({ id: i + 1, locale })));
    await strapi.documentCall({ uid: ARTICLE, action: 'publish', params: {} }, { documentId: 'a1', entries });
    await waitFor(() => published.length === 3, 'the three events');
    // The three reads go ahead (the fake database has 4 connections), each in a slice with time left; then the
    // publishes, one at a time, in order.
    expect(steps).toEqual(['pause after 0', 'pause after 0', 'pause after 0', 'pause after 1', 'pause after 2', 'pause after 3']);
  });

  it('the disposer removes the middleware and waits for what was captured', async () => {
    const { strapi, events, published } = setup();
    store(strapi, category, article());
    await strapi.documentCall({ uid: ARTICLE, action: 'create', params: {} }, written(article()));
    await stop();
    expect(published).toHaveLength(1);
    await strapi.documentCall({ uid: ARTICLE, action: 'create', params: {} }, written(article()));
    expect(await events()).toHaveLength(1);
  });
});
