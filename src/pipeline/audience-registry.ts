import type { Core } from '@strapi/strapi';
import type { PipelineStats } from './pipeline-stats';
import { authenticateContentApi, isAllowed, type StrapiAuth } from './strapi-auth';

/** An audience that may read nothing: Public without permissions, a revoked token. */
const NO_ACCESS: StrapiAuth = {
  strategy: {
    name: 'realtime-no-access',
    verify() {
      throw new Error('Forbidden');
    },
  },
  credentials: null,
  ability: null,
};

type PermissionEngine = { generateAbility(permissions: { action: string }[]): Promise<unknown> };

/**
 * Per-audience authorization state: Strapi's auth object (ability) and "may read <uid>" answers, computed once
 * per audience and cached until roles, permissions or API tokens change.
 */
export const createAudienceRegistry = (strapi: Core.Strapi, stats: PipelineStats) => {
  const strategies = new Map<string, StrapiAuth['strategy']>();
  const auths = new Map<string, Promise<StrapiAuth>>();
  const readable = new Map<string, Promise<boolean>>();
  const engine = () => (strapi as unknown as { contentAPI: { permissions: { engine: PermissionEngine } } }).contentAPI.permissions.engine;

  const roleAuth = async (roleId: number): Promise<StrapiAuth> => {
    const permissions = (await strapi.db
      .query('plugin::users-permissions.permission')
      .findMany({ where: { role: { id: roleId } }, select: ['action'] })) as { action: string }[];
    if (permissions.length === 0) return NO_ACCESS;
    if (!strategies.has('users-permissions')) {
      // Only possible for a Public role that just got its first permission: let Strapi show us its strategy.
      const outcome = await authenticateContentApi(strapi, null);
      if (outcome.ok) strategies.set(outcome.auth.strategy.name, outcome.auth.strategy);
    }
    const strategy = strategies.get('users-permissions');
    if (!strategy) return NO_ACCESS;
    const ability = await engine().generateAbility(permissions.map(({ action }) => ({ action })));
    return { strategy, credentials: null, ability };
  };

  const tokenAuth = async (tokenId: number): Promise<StrapiAuth> => {
    const strategy = strategies.get('content-api-token');
    const service = strapi.service('admin::api-token-content-api' as never) as unknown as {
      getById(id: number): Promise<{ id: number; type: string; permissions?: string[] } | null>;
    };
    const token = strategy ? await service.getById(tokenId) : null;
    if (!strategy || !token) return NO_ACCESS;
    const ability =
      token.type === 'custom'
        ? await engine().generateAbility((token.permissions ?? []).map((action) => ({ action })))
        : undefined;
    return { strategy, credentials: token, ability };
  };

  const computeAuth = (audienceKey: string): Promise<StrapiAuth> => {
    const [kind, id] = audienceKey.split(':');
    if (kind === 'role' && Number.isFinite(Number(id))) return roleAuth(Number(id));
    if (kind === 'api-token') return tokenAuth(Number(id));
    return Promise.resolve(NO_ACCESS);
  };

  const authFor = (audienceKey: string): Promise<StrapiAuth> => {
    let auth = auths.get(audienceKey);
    if (!auth) {
      auth = computeAuth(audienceKey).catch((error) => {
        auths.delete(audienceKey);
        strapi.log.error(`[realtime] computing permissions of ${audienceKey} failed: ${String(error)}`);
        return NO_ACCESS;
      });
      auths.set(audienceKey, auth);
    }
    return auth;
  };

  return {
    /** Remembers the auth Strapi produced for a principal, so its audience costs no extra query. */
    remember(audienceKey: string, auth: StrapiAuth) {
      strategies.set(auth.strategy.name, auth.strategy);
      if (!auths.has(audienceKey)) {
        auths.set(audienceKey, Promise.resolve({ ...auth, credentials: auth.strategy.name === 'users-permissions' ? null : auth.credentials }));
      }
    },
    authFor,
    /** READ permission (`find` or `findOne`) on a content type; writes are neither needed nor enough. */
    canRead(audienceKey: string, uid: string): Promise<boolean> {
      const key = `${audienceKey}|${uid}`;
      const cached = readable.get(key);
      if (cached) {
        stats.authorizationCacheHits++;
        return cached;
      }
      stats.authorizationCacheMisses++;
      const answer = authFor(audienceKey).then(
        async (auth) => (await isAllowed(strapi, auth, `${uid}.find`)) || isAllowed(strapi, auth, `${uid}.findOne`),
      );
      readable.set(key, answer);
      return answer;
    },
    /** Forget computed permissions (all, or of audiences whose key starts with the prefix). */
    invalidate(prefix = '') {
      for (const key of [...auths.keys()]) if (key.startsWith(prefix)) auths.delete(key);
      for (const key of [...readable.keys()]) if (key.startsWith(prefix)) readable.delete(key);
    },
  };
};

export type AudienceRegistry = ReturnType<typeof createAudienceRegistry>;
