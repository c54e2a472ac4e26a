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
  settings: { secret: string | undefined; algorithm: string | undefined },
  token: string,
): { kind: 'not-a-jwt' } | { kind: 'bad-signature' } | { kind: 'expired' } | { kind: 'valid'; userId: unknown } => {
  if (!looksLikeJwt(token)) return { kind: 'not-a-jwt' };
  if (!settings.secret) return { kind: 'bad-signature' };
  try {
    const claims = jwt.verify(token, settings.secret, {
      algorithms: [(settings.algorithm as jwt.Algorithm | undefined) ?? 'HS256'],
      ignoreExpiration: true,
    });
    const exp = typeof claims === 'object' ? claims.exp : undefined;
    if (typeof exp === 'number' && exp * 1000 <= Date.now()) return { kind: 'expired' };
    return { kind: 'valid', userId: typeof claims === 'object' ? claims.id : undefined };
  } catch {
    return { kind: 'bad-signature' };
  }
};
