import type { Entry } from '../../events/change-event';
import type { ContentTypeSettings } from '../../config/content-type-settings';
import type { GetModel } from '../../schema/content-model';
import { populatedFieldNames } from '../../capture/populate';

const NESTED_TYPES = new Set(['relation', 'media', 'component', 'dynamiczone']);

/**
 * Shapes a sanitized entry as plugin-io's Socket.IO payload: the flat v5 entry (scalars, id, documentId,
 * timestamps, locale) plus only the relations, media and components the content type's `populate` names.
 * Captured entries carry everything one level deep (GraphQL needs it); Socket.IO clients asked for less.
 */
export const createPayloadProjection = (getModel: GetModel, settings: ReadonlyMap<string, ContentTypeSettings>) => {
  /** Per content type: the nested attributes the payload leaves out. */
  const omitted = new Map<string, Set<string>>();
  const omittedOf = (uid: string): Set<string> => {
    let names = omitted.get(uid);
    if (!names) {
      const model = getModel(uid);
      const kept = populatedFieldNames(getModel, uid, settings.get(uid)?.populate);
      names = new Set(
        Object.entries(model?.attributes ?? {})
          .filter(([name, attribute]) => NESTED_TYPES.has(attribute.type) && !kept.has(name))
          .map(([name]) => name),
      );
      omitted.set(uid, names);
    }
    return names;
  };

  return (uid: string, entry: Entry): Entry => {
    const leaveOut = omittedOf(uid);
    if (leaveOut.size === 0) return entry;
    const payload: Entry = {};
    for (const [key, value] of Object.entries(entry)) if (!leaveOut.has(key)) payload[key] = value;
    return payload;
  };
};
