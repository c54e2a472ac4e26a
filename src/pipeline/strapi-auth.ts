import type { Core } from '@strapi/strapi';

/** The `ctx.state.auth` object Strapi's content-API auth produces; sanitizers and `verify` take it as is. */
export interface StrapiAuth {
  strategy: { name: string; verify?: (auth: StrapiAuth, config: { scope?: string | string[] }) => unknown };
  credentials: unknown;
  ability: unknown;
}

export type AuthenticationOutcome = { ok: true; auth: StrapiAuth } | { ok: false; message: string };

/**
 * Runs Strapi's own content-API authentication (users-permissions JWT, API token, or the Public role) outside
 * Koa, with the smallest ctx its strategies read, so REST and realtime agree on who is asking.
 */
export const authenticateContentApi = async (strapi: Core.Strapi, token: string | null): Promise<AuthenticationOutcome> => {
  let failure: string | null = null;
  const ctx = {
    request: { header: token ? { authorization: `Bearer ${token}` } : {} },
    state: { route: { info: { type: 'content-api' } } } as { route: unknown; auth?: StrapiAuth },
    // Strategies report failures as strings or as errors (an expired API token gives an UnauthorizedError).
    unauthorized(message?: unknown) {
      failure = message instanceof Error ? message.message : typeof message === 'string' ? message : 'Unauthorized';
    },
  };
  await (strapi.get('auth') as { authenticate(ctx: unknown, next: () => Promise<void>): Promise<unknown> }).authenticate(
    ctx,
    async () => {},
  );
  if (ctx.state.auth && failure === null) return { ok: true, auth: ctx.state.auth };
  return { ok: false, message: failure ?? 'Missing or invalid credentials' };
};

/** `strapi.get('auth').verify` as a boolean: true when the auth may use every given scope. */
export const isAllowed = async (strapi: Core.Strapi, auth: StrapiAuth, scope: string): Promise<boolean> => {
  try {
    await (strapi.get('auth') as { verify(auth: StrapiAuth, config: { scope: string[] }): Promise<void> }).verify(auth, {
      scope: [scope],
    });
    return true;
  } catch {
    return false;
  }
};
