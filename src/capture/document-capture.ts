import { randomUUID } from 'node:crypto';
import type { ContentTypeSettings } from '../config/content-type-settings';
import type { BusMessage, ChangeEvent } from '../events/change-event';
import { REFERENCE_ONLY_ACTIONS } from '../events/change-event';
import { hasDraftAndPublish } from '../schema/content-model';
import type { StrapiAdapter } from '../strapi/strapi-adapter';
import { describeChanges, type DetectedChange } from './describe-changes';
import { buildCapturePopulate, type PopulateObject } from './populate';
import { createReadAheadQueue } from '../util/read-ahead-queue';

/**
 * Changes whose entries are read back at the same time, at most: one per database connection (more would only queue
 * in the pool; SQLite has one), up to this. One at a time, capture fell behind whenever writes were concurrent: on
 * PostgreSQL, 8 publishes in flight made each read wait its turn in the pool behind them, and events left seconds
 * after their write (p50 7 s in bench/e2e's burst at 100 subscribers).
 */
const MAX_READS_AHEAD = 8;

interface CaptureOptions {
  strapi: StrapiAdapter;
  settings: ReadonlyMap<string, ContentTypeSettings>;
  publish: (message: BusMessage) => Promise<void>;
  onCaptured: (event: ChangeEvent) => void;
  /**
   * Where capture may pause for the CMS's I/O (the delivery slices' clock): a bulk publish of hundreds of entries
   * is read back and reduced over many slices, not in one block that REST requests wait behind.
   */
  pace: () => Promise<void> | null;
}

/**
 * Turns every Document Service write (REST, GraphQL, admin panel, services, bulk actions: they all go
 * through it) into ChangeEvents on the bus. Events leave only after the write committed: inside an outer
 * transaction they wait for its commit and vanish on rollback. Returns the disposer.
 */
export const startDocumentCapture = ({ strapi, settings, publish, onCaptured, pace }: CaptureOptions) => {
  const { log } = strapi;
  const readsAhead = Math.min(MAX_READS_AHEAD, strapi.databaseConnections());
  const queue = createReadAheadQueue(readsAhead, (error) => log.error('capturing a change failed', error));
  const populates = new Map<string, PopulateObject>();
  const populateFor = (uid: string) => {
    let populate = populates.get(uid);
    if (!populate) populates.set(uid, (populate = buildCapturePopulate((u) => strapi.getModel(u), uid, settings.get(uid)?.populate)));
    return populate;
  };

  const fetchEntry = async (uid: string, change: DetectedChange): Promise<ChangeEvent['entry']> => {
    if (REFERENCE_ONLY_ACTIONS.has(change.action)) return null;
    try {
      const found = await strapi.findDocument(uid, {
        documentId: change.documentId,
        locale: change.locale,
        status: change.status,
        populate: populateFor(uid),
      });
      // Gone already (deleted right after): the written version is still what happened.
      return found ?? change.written;
    } catch (error) {
      log.warn(`populating ${uid} ${change.documentId} failed, sending the written entry`, error);
      return change.written;
    }
  };

  /** Each change is read back as soon as a slot is free, and published in commit order. */
  const emit = (uid: string, changes: DetectedChange[]) => {
    for (const change of changes) {
      void queue.push(
        async () => {
          // A read is capture work too: it starts in a slice with time left (SQLite reads block the event loop).
          const pause = pace();
          if (pause) await pause;
          return fetchEntry(uid, change);
        },
        async (entry) => {
          const event: ChangeEvent = {
            id: randomUUID(),
            uid,
            action: change.action,
            documentId: change.documentId,
            locale: change.locale,
            status: change.status,
            entry,
            at: new Date().toISOString(),
          };
          onCaptured(event);
          await publish({ type: 'change', event });
          const pause = pace();
          if (pause) await pause;
        },
      );
    }
  };

  const stopMiddleware = strapi.useDocumentMiddleware(async (call, next) => {
    const result = await next();
    const contentType = settings.get(call.uid);
    const model = contentType && strapi.getModel(call.uid);
    if (!contentType || !model) return result;
    const changes = describeChanges(call.action, result, hasDraftAndPublish(model)).filter((c) => contentType.actions.has(c.action));
    if (changes.length > 0) await strapi.afterCommit(() => emit(call.uid, changes));
    return result;
  });
  return async () => {
    stopMiddleware();
    await queue.drain();
  };
};
