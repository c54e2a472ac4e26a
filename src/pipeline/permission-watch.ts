import type { LifecycleEvent, StrapiAdapter } from '../strapi/strapi-adapter';

/** What changed in Strapi's permission data; transports re-check the principals it may affect. */
export type PermissionChange =
  | { kind: 'roles' }
  | { kind: 'user'; userId: number | null }
  | { kind: 'api-token'; tokenId: number | null };

const ROLE_MODELS = ['plugin::users-permissions.role', 'plugin::users-permissions.permission'];
const USER_MODEL = 'plugin::users-permissions.user';
const TOKEN_MODELS = ['admin::api-token', 'admin::api-token-permission'];
/** Writes Strapi makes on its own while authenticating; they change nobody's rights. */
const BOOKKEEPING_FIELDS = new Set(['lastUsedAt', 'updatedAt']);

const resultId = (event: LifecycleEvent): number | null => {
  const id = (event.result as { id?: unknown } | undefined)?.id ?? event.params?.where?.id;
  return typeof id === 'number' ? id : null;
};

/**
 * Watches the tables that decide who may read what (roles, permissions, users, API tokens) through database
 * lifecycles, which every write path hits (admin panel, services, REST). Returns the disposer.
 */
export const watchPermissionChanges = (strapi: StrapiAdapter, onChange: (change: PermissionChange) => void) => {
  const handle = (event: LifecycleEvent) => {
    const uid = event.model.uid;
    const data = event.params?.data;
    if (event.action.startsWith('afterUpdate') && data && Object.keys(data).every((key) => BOOKKEEPING_FIELDS.has(key))) return;
    if (ROLE_MODELS.includes(uid)) onChange({ kind: 'roles' });
    else if (uid === USER_MODEL) onChange({ kind: 'user', userId: event.action.endsWith('Many') ? null : resultId(event) });
    else if (TOKEN_MODELS.includes(uid)) onChange({ kind: 'api-token', tokenId: uid === 'admin::api-token' && !event.action.endsWith('Many') ? resultId(event) : null });
  };
  return strapi.subscribeLifecycles([...ROLE_MODELS, USER_MODEL, ...TOKEN_MODELS], handle);
};
