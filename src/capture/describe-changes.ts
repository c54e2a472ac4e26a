import type { ChangeAction } from '../config/types';
import type { Entry, VersionStatus } from '../events/change-event';

/** A change recognized from a Document Service call, before its entry is fetched. */
export interface DetectedChange {
  action: ChangeAction;
  documentId: string;
  locale: string | null;
  status: VersionStatus;
  /** What the write returned: used only if the populated entry can no longer be fetched. */
  written: Entry | null;
}

type DocumentResult = { documentId?: string; entries?: Entry[] } & Entry;

const localeOf = (entry: Entry): string | null => (typeof entry.locale === 'string' ? entry.locale : null);

/**
 * Turns one Document Service write into its document-level changes: one per document and locale, never
 * one per DB row (publish deletes and re-creates rows; that is still one `published`).
 */
export const describeChanges = (
  action: string,
  result: unknown,
  hasDraftAndPublish: boolean,
): DetectedChange[] => {
  if (!result || typeof result !== 'object') return [];
  const statusOf = (entry: Entry): VersionStatus =>
    !hasDraftAndPublish || entry.publishedAt ? 'published' : 'draft';
  const change = (kind: ChangeAction, entry: Entry, status = statusOf(entry), written: Entry | null = entry) => ({
    action: kind,
    documentId: String(entry.documentId),
    locale: localeOf(entry),
    status,
    written,
  });
  const listed = (result as DocumentResult).entries;
  const entries = Array.isArray(listed) ? listed.filter((e) => e && e.documentId) : [];

  switch (action) {
    case 'create':
    case 'update': {
      const entry = result as Entry;
      return entry.documentId ? [change(action === 'create' ? 'created' : 'updated', entry)] : [];
    }
    case 'clone':
      return entries.map((entry) => change('created', entry));
    case 'publish':
      return entries.map((entry) => change('published', entry, 'published'));
    case 'unpublish':
      return entries.map((entry) => change('unpublished', entry, 'published', null));
    case 'discardDraft':
      return entries.map((entry) => change('draftDiscarded', entry, 'draft'));
    case 'delete': {
      // Every version of a locale goes at once: one event per locale, `published` if readers of the
      // published view knew the document (so a draft-only deletion stays invisible to them).
      const byLocale = new Map<string | null, Entry[]>();
      for (const entry of entries) byLocale.set(localeOf(entry), [...(byLocale.get(localeOf(entry)) ?? []), entry]);
      return [...byLocale.values()].map((versions) =>
        change('deleted', versions[0], versions.some((v) => statusOf(v) === 'published') ? 'published' : 'draft', null),
      );
    }
    default:
      return [];
  }
};
