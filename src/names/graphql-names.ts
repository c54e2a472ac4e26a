/**
 * GraphQL type and field names, matching @strapi/plugin-graphql v5 so clients can share fragments. (Socket.IO
 * event and room names are in socket-io-names.ts: `src/names/` is the one place names are built.)
 */
import type { ChangeAction } from '../config/types';

type NamedModel = {
  uid: string;
  modelType?: string;
  plugin?: string;
  globalId?: string;
  modelName?: string;
  info?: { singularName?: string };
};

/** lodash's camelCase for the identifiers Strapi allows (letters, digits, `-`, `_`, spaces). */
export const camelCase = (text: string): string => {
  const words = text
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-zA-Z])(\d)/g, '$1 $2')
    .replace(/(\d)([a-zA-Z])/g, '$1 $2')
    .split(/[^a-zA-Z\d]+/)
    .filter(Boolean);
  return words.map((word, i) => (i === 0 ? word.toLowerCase() : upperFirst(word.toLowerCase()))).join('');
};
export const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
export const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** `Article`, `UsersPermissionsUser`, `UploadFile`; components use their global id (`ComponentSharedSeo`). */
export const typeName = (model: NamedModel): string => {
  if (model.modelType === 'component') return model.globalId!;
  const plugin = model.plugin ? upperFirst(camelCase(model.plugin)) : '';
  return `${plugin}${upperFirst(camelCase(model.info?.singularName ?? model.modelName ?? model.uid))}`;
};

export const filtersInputName = (model: NamedModel) => `${typeName(model)}FiltersInput`;
export const scalarFilterInputName = (scalar: string) => `${scalar}FilterInput`;
export const enumName = (model: NamedModel, attribute: string, explicit?: string) =>
  explicit ?? `ENUM_${typeName(model).toUpperCase()}_${attribute.toUpperCase()}`;
export const dynamicZoneName = (model: NamedModel, attribute: string) =>
  `${typeName(model)}${upperFirst(camelCase(attribute))}DynamicZone`;

/** The reference type of deletions and unpublications: the version is gone, only its address remains. */
export const DOCUMENT_REFERENCE_TYPE = 'DocumentReference';

const FIELD_SUFFIX: Record<ChangeAction, string> = {
  created: 'Created',
  updated: 'Updated',
  deleted: 'Deleted',
  published: 'Published',
  unpublished: 'Unpublished',
  draftDiscarded: 'DraftDiscarded',
};

/** `articleCreated`, `homepageUpdated`, `usersPermissionsUserDeleted`. */
export const subscriptionFieldName = (model: NamedModel, action: ChangeAction) =>
  `${lowerFirst(typeName(model))}${FIELD_SUFFIX[action]}`;
