/** The parts of a Strapi model (content type or component) the schema and filters read. */
export interface ModelAttribute {
  type: string;
  required?: boolean;
  private?: boolean;
  relation?: string;
  target?: string;
  multiple?: boolean;
  repeatable?: boolean;
  component?: string;
  components?: string[];
  enum?: string[];
  enumName?: string;
}

export interface ContentModel {
  uid: string;
  modelType: 'contentType' | 'component';
  kind?: 'collectionType' | 'singleType';
  plugin?: string;
  globalId?: string;
  modelName?: string;
  info: { singularName?: string; pluralName?: string; displayName?: string; description?: string };
  options?: { draftAndPublish?: boolean };
  pluginOptions?: { i18n?: { localized?: boolean } };
  attributes: Record<string, ModelAttribute>;
  /** Set by Strapi at load: attribute.private plus the app's `api.responses.privateAttributes`. */
  privateAttributes?: string[];
}

export type GetModel = (uid: string) => ContentModel | undefined;

const TO_MANY = new Set(['oneToMany', 'manyToMany', 'morphToMany', 'morphMany']);
const MORPH = new Set(['morphToOne', 'morphToMany', 'morphOne', 'morphMany']);

export const isToMany = (attribute: ModelAttribute) => TO_MANY.has(attribute.relation ?? '');
export const hasDraftAndPublish = (model: ContentModel) => model.options?.draftAndPublish === true;
export const isLocalized = (model: ContentModel) => model.pluginOptions?.i18n?.localized === true;

/** Relations clients may traverse: not polymorphic, not to admin users (never part of the content API). */
export const isTraversableRelation = (attribute: ModelAttribute) =>
  attribute.type === 'relation' && !MORPH.has(attribute.relation ?? '') && !!attribute.target && !attribute.target.startsWith('admin::');

/**
 * Attributes that exist for clients: not private (Strapi's own list), not blocklisted as sensitive, not
 * passwords. The same rule keeps them out of the schema, out of filters and out of payloads.
 */
export const publicAttributes = (model: ContentModel, sensitiveFields: ReadonlySet<string>): [string, ModelAttribute][] =>
  Object.entries(model.attributes).filter(
    ([name, attribute]) =>
      !attribute.private &&
      !(model.privateAttributes ?? []).includes(name) &&
      attribute.type !== 'password' &&
      !sensitiveFields.has(name.toLowerCase()),
  );
