/**
 * The credential a client sent: `Bearer <jwt or api token>` in `authorization`/`Authorization`, or `{ token }`.
 * Anything else (wrong types, empty strings) counts as no credential, i.e. the Public role.
 */
export const credentialFrom = (payload: unknown): string | null => {
  if (!payload || typeof payload !== 'object') return null;
  const fields = payload as Record<string, unknown>;
  const header = fields.authorization ?? fields.Authorization;
  if (typeof header === 'string' && header.trim()) return header.trim().replace(/^bearer\s+/i, '') || null;
  return typeof fields.token === 'string' && fields.token.trim() ? fields.token.trim() : null;
};
