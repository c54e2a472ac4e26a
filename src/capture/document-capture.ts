import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { ContentTypeSettings } from '../config/content-type-settings';
import type { BusMessage, ChangeEvent } from './change-event';
import { REFERENCE_ONLY_ACTIONS } from './change-event';
import { describeChanges, type DetectedChange } from './describe-changes';
import { buildCapturePopulate, type PopulateObject } from './populate';
import { createSerialQueue } from '../util/serial-queue';

interface CaptureOptions {
  strapi: Core.Strapi;
  settings: ReadonlyMap<string, ContentTypeSettings>;
  publish: (message: BusMessage) => Promise<void>;
  onCaptured: (event: ChangeEvent) => void;
}

type DocumentMiddlewareContext = { uid: string; action: string; params: unknown };

/**
 * Turns every Document Service write (REST, GraphQL, admin panel, services, bulk actions: they all go
 * through it) into ChangeEvents on the bus. Events leave only after the write committed: inside an outer
 * transaction they wait for its commit and vanish on rollback. Returns the disposer.
 */
export const startDocumentCapture = ({ strapi, settings, publish, onCaptured }: CaptureOptions) => {
  const queue = createSerialQueue((error) => strapi.log.error(`[realtime] capturing a change failed: ${String(error)}`));
  const populates = new Map<string, PopulateObject>();
  const populateFor = (uid: string) => {
    if (!populates.has(uid)) populates.set(uid, buildCapturePopulate(strapi, uid, settings.get(uid)?.populate));
    return populates.get(uid)!;
  };

  const fetchEntry = async (uid: string, change: DetectedChange): Promise<ChangeEvent['entry']> => {
    if (REFERENCE_ONLY_ACTIONS.has(change.action)) return null;
    try {
      const found = await strapi.documents(uid as never).findOne({
        documentId: change.documentId,
        ...(change.locale ? { locale: change.locale } : {}),
        status: change.status,
        populate: populateFor(uid),
      } as never);
      // Gone already (deleted right after): the written version is still what happened.
      return (found as ChangeEvent['entry']) ?? change.written;
    } catch (error) {
      strapi.log.warn(`[realtime] populating ${uid} ${change.documentId} failed, sending the written entry: ${String(error)}`);
      return change.written;
    }
  };

  const emit = (uid: string, changes: DetectedChange[]) =>
    queue.push(async () => {
      for (const change of changes) {
        const event: ChangeEvent = {
          id: randomUUID(),
          uid,
          action: change.action,
          documentId: change.documentId,
          locale: change.locale,
          status: change.status,
          entry: await fetchEntry(uid, change),
          at: new Date().toISOString(),
        };
        onCaptured(event);
        await publish({ type: 'change', event });
      }
    });

  const middleware = async (ctx: DocumentMiddlewareContext, next: () => Promise<unknown>) => {
    const result = await next();
    const contentType = settings.get(ctx.uid);
    if (!contentType) return result;
    const hasDraftAndPublish = Boolean((strapi.contentType(ctx.uid as never) as { options?: { draftAndPublish?: boolean } }).options?.draftAndPublish);
    const changes = describeChanges(ctx.action, result, hasDraftAndPublish).filter((c) => contentType.actions.has(c.action));
    if (changes.length === 0) return result;

    if (strapi.db.inTransaction()) {
      // Nested call: joins the caller's transaction, so the callback runs after the outermost commit.
      await strapi.db.transaction(async ({ onCommit }) => onCommit(() => emit(ctx.uid, changes)));
    } else {
      emit(ctx.uid, changes);
    }
    return result;
  };

  const stopMiddleware = strapi.documents.use(middleware as never) as unknown as () => void;
  return async () => {
    stopMiddleware();
    await queue.drain();
  };
};
