import type { ChangeEvent, Entry } from '../../events/change-event';
import type { Pipeline } from '../../pipeline/pipeline';
import type { ContentModel, GetModel } from '../../schema/content-model';
import type { StrapiAdapter } from '../../strapi/strapi-adapter';
import type { ResolverContext } from '../../schema/resolver-context';

type Related = Entry | Entry[] | null;

/** Components and media of a related entry, so a lazily loaded relation resolves like a captured one. */
const shallowPopulate = (getModel: GetModel, uid: string): Record<string, unknown> | true => {
  const model = getModel(uid);
  if (!model) return true;
  const populate: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(model.attributes)) {
    if (attribute.type === 'component' || attribute.type === 'media') populate[name] = true;
  }
  return Object.keys(populate).length > 0 ? { populate } : true;
};

/**
 * Resolver contexts, one per (event, audience): relations deeper than the event's entry are loaded once per
 * event (shared by every audience), sanitized once per audience, and reused by every group of it. No N+1 per
 * subscriber, however many subscribers select the same relation.
 */
export const createResolverContexts = (strapi: StrapiAdapter, pipeline: Pipeline) => {
  const getModel: GetModel = (uid) => strapi.getModel(uid);
  const contexts = new WeakMap<ChangeEvent, Map<string, ResolverContext>>();
  const rawLoads = new WeakMap<ChangeEvent, Map<string, Promise<Related>>>();

  const loadRaw = (event: ChangeEvent, model: ContentModel, entry: Entry, field: string): Promise<Related> => {
    let loads = rawLoads.get(event);
    if (!loads) rawLoads.set(event, (loads = new Map()));
    const key = `${model.uid}|${entry.documentId}|${entry.locale ?? ''}|${field}`;
    let load = loads.get(key);
    if (!load) {
      const attribute = model.attributes[field];
      const target = attribute?.type === 'media' ? 'plugin::upload.file' : attribute?.target;
      load = strapi
        .findDocument(model.uid, {
          documentId: entry.documentId as string,
          locale: typeof entry.locale === 'string' ? entry.locale : null,
          // Same version as the event: a published article never pulls in draft relations.
          status: event.status,
          fields: ['documentId'],
          populate: { [field]: target ? shallowPopulate(getModel, target) : true },
        })
        .then((found) => (found?.[field] as Related) ?? null)
        .catch((error: unknown) => {
          strapi.log.warn(`loading ${model.uid}.${field} failed`, error);
          return null;
        });
      loads.set(key, load);
    }
    return load;
  };

  const create = (event: ChangeEvent, audienceKey: string): ResolverContext => {
    const sanitized = new Map<string, Promise<Related>>();
    return {
      getModel,
      canFind: (uid) => pipeline.canFind(audienceKey, uid),
      loadRelation(model, entry, field) {
        if (typeof entry.documentId !== 'string') return Promise.resolve(null);
        const key = `${model.uid}|${entry.documentId}|${field}`;
        let result = sanitized.get(key);
        if (!result) {
          const attribute = model.attributes[field];
          const targetUid = attribute?.type === 'media' ? 'plugin::upload.file' : attribute?.target;
          // A relation the audience may not `find` does not exist for it (Strapi's sanitizer rule: `findOne` is not
          // enough): not for field resolution and not for filters, which would otherwise reveal, e.g., which articles
          // a given user wrote. Media are not gated, as over REST.
          const readable = attribute?.type === 'media' || !targetUid ? Promise.resolve(true) : pipeline.canFind(audienceKey, targetUid);
          result = readable.then((allowed) => (allowed ? loadRaw(event, model, entry, field) : null)).then(async (raw) => {
            if (!raw || !targetUid) return raw;
            const items = Array.isArray(raw) ? raw : [raw];
            const clean = (await Promise.all(items.map((item) => pipeline.sanitize(targetUid, item, audienceKey)))).filter(
              (item): item is Entry => item !== null,
            );
            return Array.isArray(raw) ? clean : (clean[0] ?? null);
          });
          sanitized.set(key, result);
        }
        return result;
      },
    };
  };

  return (event: ChangeEvent, audienceKey: string): ResolverContext => {
    let byAudience = contexts.get(event);
    if (!byAudience) contexts.set(event, (byAudience = new Map()));
    let context = byAudience.get(audienceKey);
    if (!context) byAudience.set(audienceKey, (context = create(event, audienceKey)));
    return context;
  };
};

export type ResolverContexts = ReturnType<typeof createResolverContexts>;
