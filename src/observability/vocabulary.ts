import type { TransportStats } from '../transports/transport';

/** The wire a subscriber is on: the label of every per-transport figure. */
export type TransportName = TransportStats['transport'];
export const TRANSPORT_NAMES: readonly TransportName[] = ['graphql-ws', 'graphql-sse', 'socket.io'];

/**
 * Why a connection was refused before it was served. A fixed list: metric labels stay bounded whatever a client
 * sends, and anything unforeseen is counted as `other`.
 */
export const REFUSAL_REASONS = [
  'invalid_token',
  'token_expired',
  'token_revoked',
  'invalid_credentials',
  'user_blocked',
  'ip_not_allowed',
  'ip_denied',
  'bad_subprotocol',
  'init_timeout',
  'too_many_connections',
  'too_many_connections_from_address',
  'internal_error',
  'other',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** `TOKEN_EXPIRED` (AuthError codes, Socket.IO connect_error codes) → `token_expired`; unknown → `other`. */
export const refusalReason = (code: string): RefusalReason => {
  const normalized = code.toLowerCase().replace(/[^a-z]+/g, '_');
  if (normalized === 'internal_server_error') return 'internal_error';
  return (REFUSAL_REASONS as readonly string[]).includes(normalized) ? (normalized as RefusalReason) : 'other';
};

/**
 * Server-side failures worth an operator's attention: `sanitize` (an event dropped for an audience because
 * sanitizing failed), `delivery` (a transport failed to deliver an event), `internal` (an unexpected error while
 * serving a connection), `rate_limited` (a Socket.IO client over its event allowance).
 */
export const ERROR_KINDS = ['sanitize', 'delivery', 'internal', 'rate_limited'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** A record per transport name, every transport present (zero until something happens). */
export const perTransport = <T>(make: (transport: TransportName) => T): Record<TransportName, T> =>
  Object.fromEntries(TRANSPORT_NAMES.map((transport) => [transport, make(transport)])) as Record<TransportName, T>;
