import type { PipelineStats } from './pipeline-stats';
import type { StrapiAdapter, StrapiAuth } from '../strapi/strapi-adapter';

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

/**
 * Per-audience authorization state: Strapi's auth object (ability) and "may read <uid>" answers, computed once
 * per audience and cached until roles, permissions or API tokens change.
 */
export const createAudienceRegistry = (strapi: StrapiAdapter, stats: PipelineStats) => {
  const strategies = new Map<string, StrapiAuth['strategy']>();
  const auths = new Map<string, Promise<StrapiAuth>>();
  const readable = new Map<string, Promise<boolean>>();

  const roleAuth = async (roleId: number): Promise<StrapiAuth> => {
    const actions = await strapi.rolePermissionActions(roleId);
    if (actions.length === 0) return NO_ACCESS;
    if (!strategies.has('users-permissions')) {
      // Only possible for a Public role that just got its first permission: let Strapi show us its strategy.
      const outcome = await strapi.authenticate(null);
      if (outcome.ok) strategies.set(outcome.auth.strategy.name, outcome.auth.strategy);
    }
    const strategy = strategies.get('users-permissions');
    if (!strategy) return NO_ACCESS;
    const ability = await strapi.generateAbility(actions);
    return { strategy, credentials: null, ability };
  };

  const tokenAuth = async (tokenId: number): Promise<StrapiAuth> => {
    const strategy = strategies.get('content-api-token');
    const token = strategy ? await strapi.findApiToken(tokenId) : null;
    if (!strategy || !token) return NO_ACCESS;
    const ability =
      token.type === 'custom'
        ? await strapi.generateAbility(token.permissions ?? [])
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
        strapi.log.error(`computing permissions of ${audienceKey} failed`, error);
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
        async (auth) => (await strapi.isAllowed(auth, `${uid}.find`)) || strapi.isAllowed(auth, `${uid}.findOne`),
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
