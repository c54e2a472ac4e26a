import type { ChangeAction } from '../config/types';

export type VersionStatus = 'draft' | 'published';

/** A plain JSON object (an entry as Strapi returns it). */
export type Entry = { [key: string]: unknown };

/**
 * One thing that happened to one document version (not one DB row). Plain, JSON-serializable data:
 * a Redis bus carries it between nodes unchanged.
 */
export interface ChangeEvent {
  /** Unique per event across nodes. */
  id: string;
  uid: string;
  action: ChangeAction;
  documentId: string;
  /** `null` for content types without i18n. */
  locale: string | null;
  /** The version the event describes. */
  status: VersionStatus;
  /** The raw (unsanitized!) entry, populated per config; `null` for `deleted`/`unpublished`. */
  entry: Entry | null;
  /** ISO timestamp of the capture. */
  at: string;
}

/**
 * An event emitted by server code through `strapi.$io.emit(...)`: Socket.IO only, but authorized and
 * sanitized by the same pipeline as captured changes.
 */
export interface ManualEmit {
  id: string;
  uid: string;
  /** The verb after the colon of the Socket.IO event (`create`, `publish`, or any custom name). */
  verb: string;
  entry: Entry;
  at: string;
}

export type BusMessage = { type: 'change'; event: ChangeEvent } | { type: 'emit'; emit: ManualEmit };

/** Actions whose event carries no entry: the version is gone, only its reference is sent. */
export const REFERENCE_ONLY_ACTIONS: ReadonlySet<ChangeAction> = new Set(['deleted', 'unpublished']);

export const documentReference = (event: ChangeEvent): { documentId: string; locale: string | null } => ({
  documentId: event.documentId,
  locale: event.locale,
});
