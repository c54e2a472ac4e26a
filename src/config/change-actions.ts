/** What happened to a document. The Socket.IO wire uses plugin-io's verbs instead (see `SocketAction`). */
export type ChangeAction = 'created' | 'updated' | 'deleted' | 'published' | 'unpublished' | 'draftDiscarded';
export const CHANGE_ACTIONS: readonly ChangeAction[] = ['created', 'updated', 'deleted', 'published', 'unpublished', 'draftDiscarded'];

/** plugin-io's action verbs, used in config `actions` lists and Socket.IO event names (`article:create`). */
export type SocketAction = 'create' | 'update' | 'delete' | 'publish' | 'unpublish';
export const SOCKET_ACTIONS: readonly SocketAction[] = ['create', 'update', 'delete', 'publish', 'unpublish'];

/** Strapi populate, as plugin-io accepts it: `'*'`/`true`, a list of relation names, or the object syntax. */
export type PopulateConfig = '*' | true | string[] | { [field: string]: unknown };
