/**
 * The credential of a Socket.IO handshake, in every shape the predecessors' clients send it:
 * `auth: { strategy: 'jwt' | 'api-token', token }` (plugin-io v5), `auth: { token }` (plugin-io v4, a JWT),
 * `query: { jwt }` (strapi-plugin-socketio) and `query: { token }` (plugin-io's connection middleware).
 * The strategy needs no branching: Strapi's content-API auth recognizes JWTs and API tokens by itself.
 */
export type HandshakeCredential =
  | { kind: 'none' }
  | { kind: 'token'; token: string }
  /** Something was sent, but not a usable string (a number, an object): refused rather than treated as Public. */
  | { kind: 'malformed' };

const read = (value: unknown): HandshakeCredential | null => {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return { kind: 'malformed' };
  const token = value.trim();
  // An empty token means "no credential" in plugin-io (its clients send `token: ''` when logged out).
  return token ? { kind: 'token', token } : null;
};

export const handshakeCredential = (handshake: { auth?: unknown; query?: unknown }): HandshakeCredential => {
  const auth = handshake.auth && typeof handshake.auth === 'object' ? (handshake.auth as Record<string, unknown>) : {};
  const query = handshake.query && typeof handshake.query === 'object' ? (handshake.query as Record<string, unknown>) : {};
  return read(auth.token) ?? read(query.jwt) ?? read(query.token) ?? { kind: 'none' };
};
