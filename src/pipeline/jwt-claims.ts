import type { Core } from '@strapi/strapi';
import jwt from 'jsonwebtoken';

const looksLikeJwt = (token: string) => token.split('.').length === 3;

/** The `exp` claim (epoch ms) of a JWT that Strapi already accepted; `null` if it has none. */
export const jwtExpiry = (token: string): number | null => {
  if (!looksLikeJwt(token)) return null;
  const claims = jwt.decode(token);
  return claims && typeof claims === 'object' && typeof claims.exp === 'number' ? claims.exp * 1000 : null;
};

/**
 * After Strapi refused a token, tells a genuine-but-expired users-permissions JWT (signature checked) apart
 * from garbage, so clients get "expired" (refresh and retry) rather than "invalid" (log in again).
 */
export const inspectRefusedJwt = (
  strapi: Core.Strapi,
  token: string,
): { kind: 'not-a-jwt' } | { kind: 'bad-signature' } | { kind: 'expired' } | { kind: 'valid'; userId: unknown } => {
  if (!looksLikeJwt(token)) return { kind: 'not-a-jwt' };
  const secret = strapi.config.get('plugin::users-permissions.jwtSecret') as string | undefined;
  const algorithm = (strapi.config.get('plugin::users-permissions.jwt', {}) as { algorithm?: jwt.Algorithm }).algorithm;
  if (!secret) return { kind: 'bad-signature' };
  try {
    const claims = jwt.verify(token, secret, { algorithms: [algorithm ?? 'HS256'], ignoreExpiration: true });
    const exp = typeof claims === 'object' ? claims.exp : undefined;
    if (typeof exp === 'number' && exp * 1000 <= Date.now()) return { kind: 'expired' };
    return { kind: 'valid', userId: typeof claims === 'object' ? claims.id : undefined };
  } catch {
    return { kind: 'bad-signature' };
  }
};
