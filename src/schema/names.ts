/**
 * The one place names are built: GraphQL type and field names (matching @strapi/plugin-graphql v5, so clients
 * can share fragments), Socket.IO event names (matching plugin-io) and room names.
 */
import type { ChangeAction, SocketAction } from '../config/types';

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

/** plugin-io's verb for each action; `draftDiscarded` has none (plugin-io never sent it). */
export const SOCKET_VERB: Record<ChangeAction, SocketAction | null> = {
  created: 'create',
  updated: 'update',
  deleted: 'delete',
  published: 'publish',
  unpublished: 'unpublish',
  draftDiscarded: null,
};

/** `article:create` (or `<eventPrefix>:<verb>`). */
export const socketEventName = (eventPrefix: string, verb: string) => `${eventPrefix}:${verb}`;

/** plugin-io's entity room: `api::article.article:123` (numeric id or documentId). */
export const entityRoomName = (uid: string, id: string | number) => `${uid}:${id}`;
/**
 * The uid and id of an entity room (`api::article.article:123` → uid + `123`), or `null` for any other room.
 * The uid never contains a single `:`, so the id is everything after the first `:` that follows it.
 */
export const parseEntityRoomName = (room: string): { uid: string; id: string } | null => {
  const match = /^((?:api|plugin|admin)::[^:]+):(.+)$/.exec(room);
  return match ? { uid: match[1], id: match[2] } : null;
};
/**
 * plugin-io's role and token rooms as its code names them (`io-role-authenticated`, `io-token-<name>`): lower-cased,
 * and only the first space replaced by `-` (plugin-io's `.replace(' ', '-')`), so server code keeps finding them.
 */
export const ioRoleRoomName = (roleName: string) => `io-role-${roleName.toLowerCase()}`.replace(' ', '-');
export const ioTokenRoomName = (tokenName: string) => `io-token-${tokenName.toLowerCase()}`.replace(' ', '-');
/** strapi-plugin-socketio's per-user room, joined automatically by authenticated sockets. */
export const userRoomName = (userId: number | string) => `user::${userId}`;
/** Internal room of one audience: content events are broadcast once per audience into it. */
export const audienceRoomName = (audienceKey: string) => `realtime:audience:${audienceKey}`;
