import { createDeliverySlices } from '../../../src/delivery/delivery-slices';
import { parse } from 'graphql';
import { normalizeConfig } from '../../../src/config/normalize';
import { resolveContentTypeSettings } from '../../../src/config/content-type-settings';
import type { ChangeEvent, Entry } from '../../../src/events/change-event';
import { createPipeline, type Pipeline } from '../../../src/pipeline/pipeline';
import type { Principal } from '../../../src/pipeline/principal';
import { buildAppSchema } from '../../../src/schema/app-schema';
import { createResolverContexts } from '../../../src/transports/graphql/resolver-contexts';
import { createSubscriptionHub, type PreparedResult, type SubscriptionHub } from '../../../src/transports/graphql/subscription-hub';
import { formatCursor, parseCursor } from '../../../src/events/cursor';
import type { LogRecord, MessageRecord, ReadResult } from '../../../src/events/log-record';
import { createTracer } from '../../../src/observability/trace';
import { ARTICLE } from './content-models';
import { createFakeStrapi } from './fake-strapi';

let eventCount = 0;

/** A captured change of an article (published, `created`) unless told otherwise. */
export const changeEvent = (overrides: Partial<ChangeEvent> = {}): ChangeEvent => ({
  id: `event-${++eventCount}`,
  uid: ARTICLE,
  action: 'created',
  documentId: 'article-1',
  locale: 'en',
  status: 'published',
  entry: {
    id: 1,
    documentId: overrides.documentId ?? 'article-1',
    title: 'Hello',
    summary: 'A summary',
    internalNotes: 'never leaves',
    views: 3,
    kind: 'news',
    locale: overrides.locale === undefined ? 'en' : overrides.locale,
    publishedAt: overrides.status === 'draft' ? null : '2026-01-01T00:00:00.000Z',
    category: { id: 7, documentId: 'category-7', name: 'News', secretCode: 'c0ffee' },
  },
  at: new Date().toISOString(),
  ...overrides,
});

/** The same article with other field values (keeps the event's defaults for the rest). */
export const articleEntry = (fields: Entry): Entry => ({ ...changeEvent().entry, ...fields });

/**
 * The real pipeline, schema, resolver contexts and subscription hub, built on the fake Strapi: what the graphql
 * transport assembles in bootstrap, minus sockets. `config` is the user config (normalized here).
 */
export const createRealtimeFixture = (userConfig: unknown = {}) => {
  const strapi = createFakeStrapi();
  const config = normalizeConfig(userConfig, { NODE_ENV: 'test' });
  const settings = resolveContentTypeSettings(strapi, config);
  const getModel = (uid: string) => strapi.getModel(uid);
  const { schema, routes } = buildAppSchema(getModel, { config, settings });
  const pipeline = createPipeline(strapi, config);
  const hub = createHub(schema, routes, pipeline, strapi, config.graphql);
  return { strapi, config, settings, schema, routes, pipeline, hub, dispose: () => pipeline.dispose() };
};

/**
 * The one place the tests build a hub (its options change with the fan-out work). Its `dispatch` also takes a bare
 * ChangeEvent: the fixture gives it the next position of an in-memory event log (which `readAfter` replays).
 */
const createHub = (
  schema: ReturnType<typeof buildAppSchema>['schema'],
  routes: ReturnType<typeof buildAppSchema>['routes'],
  pipeline: Pipeline,
  strapi: ReturnType<typeof createFakeStrapi>,
  limits: { maxInputDepth: number; maxFilterSize: number },
) => {
  const records: MessageRecord[] = [];
  const toRecord = (event: ChangeEvent): MessageRecord => {
    const cursor = { epoch: 'fixture', major: records.length + 1, minor: 0 };
    const record: MessageRecord = { kind: 'message', cursor, id: formatCursor(cursor), message: { type: 'change', event } };
    records.push(record);
    return record;
  };
  /** What the hub reported as delivered: one entry per group, record and transport. */
  const deliveries: { transport: string; audienceKey: string; count: number }[] = [];
  const hub = createSubscriptionHub({
    schema,
    routes,
    pipeline,
    contexts: createResolverContexts(strapi, pipeline),
    getModel: (uid) => strapi.getModel(uid),
    limits: { maxInputDepth: limits.maxInputDepth, maxFilterSize: limits.maxFilterSize },
    async readAfter(value): Promise<ReadResult> {
      const cursor = parseCursor(value);
      const head = records.at(-1)?.id ?? null;
      if (!cursor || cursor.epoch !== 'fixture') return { ok: false, reason: 'unknown-log', head };
      return { ok: true, records: records.filter((record) => record.cursor.major > cursor.major) };
    },
    schedule: (job) => void job(),
    slices: createDeliverySlices({ sliceMs: 10 }),
    delivered: (transport, _event, audienceKey, count) => void deliveries.push({ transport, audienceKey, count }),
    log: strapi.log,
    trace: createTracer({ enabled: false, log: strapi.log }),
  });
  return {
    ...hub,
    deliveries,
    dispatch: (subject: ChangeEvent | LogRecord) => hub.dispatchRun(['kind' in subject ? subject : toRecord(subject)]),
  };
};

export type RealtimeFixture = ReturnType<typeof createRealtimeFixture>;

/** A hub subscriber that records what it receives; `data` is the executed result's data. */
export const subscribe = async (
  hub: SubscriptionHub,
  principal: Principal,
  query: string,
  variables?: Record<string, unknown>,
) => {
  const received: PreparedResult[] = [];
  const outcome = await hub.subscribe({ principal, document: parse(query), variables, sink: { transport: 'graphql-ws', next: (prepared) => received.push(prepared) > 0 } });
  return {
    outcome,
    received,
    /** The `data` of every result received, in order. */
    data: () => received.map((prepared) => (JSON.parse(prepared.bytes.toString()) as { data: Record<string, unknown> }).data),
    unsubscribe: () => (outcome.ok ? outcome.unsubscribe() : undefined),
  };
};
