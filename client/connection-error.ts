import { NetworkError } from 'graphql-sse';

export type Transport = 'websocket' | 'sse';

/** graphql-ws's close code for a refused credential (bad, expired or revoked token). */
export const FORBIDDEN_CLOSE_CODE = 4403;

/**
 * - `forbidden`: the server refused the credential (close 4403 over WebSocket, 401/403 over SSE), repeatedly.
 * - `token`: `getToken` threw or rejected.
 * - `connection`: the server could not be reached, or the connection failed and retries ran out.
 */
export type ConnectionErrorKind = 'forbidden' | 'token' | 'connection';

/** Why a subscription could not be (re)established. GraphQL errors of an operation are reported as arrays instead. */
export class RealtimeConnectionError extends Error {
  override readonly name = 'RealtimeConnectionError';
  readonly kind: ConnectionErrorKind;
  readonly transport: Transport;
  /** The WebSocket close code, or the HTTP status over SSE. */
  readonly code: number | undefined;

  constructor(message: string, options: { kind: ConnectionErrorKind; transport: Transport; code?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.kind = options.kind;
    this.transport = options.transport;
    this.code = options.code;
  }
}

/** `getToken` failed: kept apart from network problems so it is never mistaken for a missing WebSocket. */
export class TokenError extends Error {
  override readonly name = 'TokenError';
}

export const isCloseEventLike = (value: unknown): value is { code: number; reason: string } =>
  typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'number' && 'reason' in value;

const describe = (value: unknown) => (value instanceof Error ? value.message : String(value));

/**
 * What graphql-ws and graphql-sse hand to a sink's `error`, made uniform: GraphQL error arrays stay as they are
 * (Apollo and urql turn them into their own GraphQL error types); everything else becomes a RealtimeConnectionError.
 */
export const toSinkError = (error: unknown, transport: Transport): unknown => {
  if (Array.isArray(error) || error instanceof RealtimeConnectionError) return error;
  if (error instanceof TokenError) return new RealtimeConnectionError(`getToken failed: ${describe(error.cause ?? error)}`, { kind: 'token', transport, cause: error.cause ?? error });
  if (isCloseEventLike(error)) {
    const kind = error.code === FORBIDDEN_CLOSE_CODE ? 'forbidden' : 'connection';
    return new RealtimeConnectionError(`WebSocket closed with ${error.code}${error.reason ? `: ${error.reason}` : ''}`, { kind, transport, code: error.code, cause: error });
  }
  if (error instanceof NetworkError) {
    const status = error.response?.status;
    const kind = status === 401 || status === 403 ? 'forbidden' : 'connection';
    return new RealtimeConnectionError(`SSE request failed: ${error.message}`, { kind, transport, code: status, cause: error });
  }
  // A WebSocket `error` event carries no detail (browsers hide it on purpose).
  return new RealtimeConnectionError(`${transport === 'websocket' ? 'WebSocket' : 'SSE'} connection failed: ${error instanceof Error ? error.message : 'network error'}`, {
    kind: 'connection',
    transport,
    cause: error,
  });
};
