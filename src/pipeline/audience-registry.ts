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
  const answers = new Map<string, Promise<boolean>>();

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

  /**
   * The audience's auth, computed once. A failure (the database briefly unreachable) rejects and is not cached:
   * callers fail closed for now, and the next question asks again instead of "no access" sticking until the next
   * permission change.
   */
  const authFor = (audienceKey: string): Promise<StrapiAuth> => {
    let auth = auths.get(audienceKey);
    if (!auth) {
      const computing = computeAuth(audienceKey);
      auths.set(audienceKey, (auth = computing));
      computing.catch((error: unknown) => {
        if (auths.get(audienceKey) === computing) auths.delete(audienceKey);
        strapi.log.error(`computing permissions of ${audienceKey} failed`, error);
      });
    }
    return auth;
  };

  /** A cached yes/no about one audience and content type; a failure answers no, uncached. */
  const cachedAnswer = (key: string, audienceKey: string, question: (auth: StrapiAuth) => Promise<boolean>): Promise<boolean> => {
    const cached = answers.get(key);
    if (cached) {
      stats.authorizationCacheHits++;
      return cached;
    }
    stats.authorizationCacheMisses++;
    const answer = authFor(audienceKey)
      .then(question)
      .catch(() => {
        if (answers.get(key) === answer) answers.delete(key);
        return false;
      });
    answers.set(key, answer);
    return answer;
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
    /** READ permission (`find` or `findOne`) on a content type: what receiving its events needs. Writes are neither needed nor enough. */
    canRead: (audienceKey: string, uid: string): Promise<boolean> =>
      cachedAnswer(`${audienceKey}|read|${uid}`, audienceKey, async (auth) => (await strapi.isAllowed(auth, `${uid}.find`)) || strapi.isAllowed(auth, `${uid}.findOne`)),
    /**
     * `find` on a content type: Strapi's own rule for relations (its output sanitizer keeps a relation only when the
     * auth may `find` the target), so relations, relation filters and sorting match REST for the same principal.
     */
    canFind: (audienceKey: string, uid: string): Promise<boolean> =>
      cachedAnswer(`${audienceKey}|find|${uid}`, audienceKey, (auth) => strapi.isAllowed(auth, `${uid}.find`)),
    /** Forget computed permissions (all, or of audiences whose key starts with the prefix). */
    invalidate(prefix = '') {
      for (const key of [...auths.keys()]) if (key.startsWith(prefix)) auths.delete(key);
      for (const key of [...answers.keys()]) if (key.startsWith(prefix)) answers.delete(key);
    },
  };
};

export type AudienceRegistry = ReturnType<typeof createAudienceRegistry>;
