import type { PopulateConfig } from '../config/types';
import type { GetModel, ModelAttribute } from '../schema/content-model';

type Attribute = ModelAttribute;
export type PopulateObject = { [field: string]: true | { [key: string]: unknown } };

const isOwnRelation = (attribute: Attribute) =>
  attribute.type === 'relation' && !!attribute.target && !attribute.target.startsWith('admin::');

const nestedPopulate = (populate: PopulateObject | true) => (populate === true ? true : { populate });

/** Components are part of the document: populate them fully, with their media and relations one level deep. */
const componentPopulate = (getModel: GetModel, componentUid: string): PopulateObject | true => {
  const model = getModel(componentUid);
  const populate: PopulateObject = {};
  for (const [name, attribute] of Object.entries(model?.attributes ?? {})) {
    if (attribute.type === 'component') populate[name] = nestedPopulate(componentPopulate(getModel, attribute.component!));
    else if (attribute.type === 'media' || isOwnRelation(attribute)) populate[name] = true;
  }
  return Object.keys(populate).length > 0 ? populate : true;
};

/**
 * What an event's entry is fetched with: every component, media and relation one level deep (so GraphQL
 * selections resolve without another query), deepened by the content type's configured `populate`.
 */
export const buildCapturePopulate = (getModel: GetModel, uid: string, configured: PopulateConfig | undefined): PopulateObject => {
  const attributes = getModel(uid)?.attributes ?? {};
  const populate: PopulateObject = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    if (attribute.type === 'component') {
      populate[name] = nestedPopulate(componentPopulate(getModel, attribute.component!));
    } else if (attribute.type === 'dynamiczone') {
      const on = Object.fromEntries(
        (attribute.components ?? []).map((c) => {
          const nested = componentPopulate(getModel, c);
          return [c, nested === true ? { populate: '*' } : { populate: nested }];
        }),
      );
      populate[name] = { on };
    } else if (attribute.type === 'media' || isOwnRelation(attribute)) {
      populate[name] = true;
    }
  }
  // A configured object may ask for more (nested relations, field selections): it wins for its keys.
  if (configured && typeof configured === 'object' && !Array.isArray(configured)) {
    for (const [name, value] of Object.entries(configured)) {
      if (name in attributes) populate[name] = value === true || value === '*' ? true : (value as PopulateObject[string]);
    }
  }
  return populate;
};

/** Top-level attribute names the Socket.IO payload keeps beyond scalars, per the plugin-io `populate` option. */
export const populatedFieldNames = (getModel: GetModel, uid: string, configured: PopulateConfig | undefined): Set<string> => {
  const populatable = Object.entries(getModel(uid)?.attributes ?? {})
    .filter(([, a]) => ['relation', 'media', 'component', 'dynamiczone'].includes(a.type))
    .map(([name]) => name);
  if (configured === undefined) return new Set();
  if (configured === '*' || configured === true) return new Set(populatable);
  const names = Array.isArray(configured) ? configured : Object.keys(configured);
  return new Set(names.filter((name) => populatable.includes(name)));
};
