import { AuthError } from './auth-error';
import type { Principal } from './principal';
import type { StrapiAdapter, StrapiAuth } from '../strapi/strapi-adapter';
import { inspectRefusedJwt, jwtExpiry } from './jwt-claims';

type UserCredentials = { id: number; documentId?: string; username?: string; email?: string; role?: { id: number; name?: string } };
type TokenCredentials = { id: number; name: string; type: string; expiresAt?: string | null };

interface ResolverOptions {
  strapi: StrapiAdapter;
  /** Called with every auth Strapi produced, so audiences can reuse its strategy objects. */
  onAuthenticated: (audienceKey: string, auth: StrapiAuth) => void;
  publicRole: () => Promise<{ id: number; name: string } | null>;
}

/**
 * Resolves a raw credential (JWT, API token, or none) into a Principal through Strapi's own strategies.
 * Refusals throw an AuthError whose code says why.
 */
export const createPrincipalResolver = ({ strapi, onAuthenticated, publicRole }: ResolverOptions) => {
  const publicPrincipal = async (): Promise<Principal> => {
    const role = await publicRole();
    return {
      kind: 'public',
      audienceKey: `role:${role?.id ?? 'public'}`,
      roleId: role?.id,
      roleName: role?.name ?? 'Public',
      expiresAt: null,
      credential: null,
    };
  };

  const refusal = async (token: string, message: string): Promise<AuthError> => {
    if (message === 'Token expired') return new AuthError('TOKEN_EXPIRED', 'The API token has expired');
    const jwt = inspectRefusedJwt(strapi.jwtSettings(), token);
    if (jwt.kind === 'expired') return new AuthError('TOKEN_EXPIRED', 'The JWT has expired');
    if (jwt.kind === 'valid') {
      const user = typeof jwt.userId === 'number' ? await strapi.findUser(jwt.userId) : null;
      if (user?.blocked) return new AuthError('USER_BLOCKED', 'The user is blocked');
      return new AuthError('INVALID_CREDENTIALS', 'The user no longer exists or is not confirmed');
    }
    return new AuthError('INVALID_TOKEN', 'Invalid token');
  };

  // Anonymous connections all resolve to the same Public principal: ask Strapi once, until roles change
  // (thousands of anonymous subscribers would otherwise each cost a permissions query).
  let anonymous: Promise<Principal> | null = null;

  const resolve = async (token: string | null): Promise<Principal> => {
    const outcome = await strapi.authenticate(token);

    if (!outcome.ok) {
      // No credential and a Public role without any permission: still Public, it just may read nothing.
      if (!token) return publicPrincipal();
      throw await refusal(token, outcome.message);
    }

    const { auth } = outcome;
    let principal: Principal;
    if (auth.strategy.name === 'users-permissions' && auth.credentials) {
      const user = auth.credentials as UserCredentials;
      principal = {
        kind: 'user',
        audienceKey: `role:${user.role?.id}`,
        roleId: user.role?.id,
        roleName: user.role?.name,
        user: { id: user.id, documentId: user.documentId, username: user.username, email: user.email },
        expiresAt: token ? jwtExpiry(token) : null,
        credential: token,
      };
    } else if (auth.strategy.name === 'users-permissions') {
      // Strapi reads a header it cannot parse as "no token" and answers with the Public role; a credential that was
      // given and is not understood is refused instead of silently downgraded.
      if (token) throw new AuthError('INVALID_TOKEN', 'Invalid token');
      principal = await publicPrincipal();
    } else {
      const apiToken = auth.credentials as TokenCredentials;
      principal = {
        kind: 'api-token',
        audienceKey: `api-token:${apiToken.id}`,
        apiToken: { id: apiToken.id, name: apiToken.name, type: apiToken.type },
        expiresAt: apiToken.expiresAt ? Date.parse(apiToken.expiresAt) : null,
        credential: token,
      };
    }
    onAuthenticated(principal.audienceKey, auth);
    return principal;
  };

  return {
    resolve(credential: string | null | undefined): Promise<Principal> {
      // `Bearer <token>` is accepted wherever a bare token is (clients copy the header value).
      const token = credential?.trim().replace(/^bearer\s+/i, '') || null;
      if (token && /\s/.test(token)) return Promise.reject(new AuthError('INVALID_TOKEN', 'Invalid token'));
      if (token) return resolve(token);
      anonymous ??= resolve(null).catch((error) => {
        anonymous = null;
        throw error;
      });
      return anonymous;
    },
    /** Roles or permissions changed: the next anonymous connection asks Strapi again. */
    forgetAnonymous() {
      anonymous = null;
    },
  };
};

export type PrincipalResolver = ReturnType<typeof createPrincipalResolver>;
