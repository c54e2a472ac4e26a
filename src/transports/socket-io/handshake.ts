import type { Pipeline } from '../../pipeline/pipeline';
import type { StrapiAdapter } from '../../strapi/strapi-adapter';
import type { Principal } from '../../pipeline/principal';
import { AuthError, type AuthErrorCode } from '../../pipeline/auth-error';
import { clientAddress, createIpFilter } from '../client-address';
import type { ConnectionLimiter, ConnectionRefusal } from '../connection-limiter';
import { handshakeCredential } from './handshake-credential';
import type { RealtimeSocket } from './types';

/**
 * `connect_error` messages: plugin-io's own strings where it had one (`Invalid token.`, `Invalid credentials`,
 * `Token expired`), Strapi's login message for blocked users. `data.code` is the precise, stable reason.
 */
export const AUTH_ERROR_MESSAGES: Record<AuthErrorCode, string> = {
  INVALID_TOKEN: 'Invalid token.',
  TOKEN_EXPIRED: 'Token expired',
  INVALID_CREDENTIALS: 'Invalid credentials',
  USER_BLOCKED: 'Your account has been blocked by an administrator',
  TOKEN_REVOKED: 'Token revoked',
};

export type ConnectErrorCode = AuthErrorCode | ConnectionRefusal['code'] | 'IP_NOT_ALLOWED' | 'IP_DENIED' | 'INTERNAL_ERROR';

/** Socket.IO sends `message` and `data` of a middleware error to the client's `connect_error`. */
const connectError = (message: string, code: ConnectErrorCode, detail?: string) =>
  Object.assign(new Error(message), { data: detail ? { code, message: detail } : { code } });

export interface Admission {
  principal: Principal;
  address: string;
  /** The connection limiter's ticket: the connection registry returns it when the socket disconnects. */
  release: () => void;
}

/**
 * The main namespace's handshake: IP allow/deny lists, then the credential resolved by the shared pipeline
 * (no credential = Public). Admitted sockets are handed to the `connection` handler through `admissions`.
 * Waits for `ready` (hooks.init) so no client is admitted before the user's setup finished.
 */
export const createHandshake = (options: {
  strapi: StrapiAdapter;
  pipeline: Pipeline;
  ipAllowList: readonly string[];
  ipDenyList: readonly string[];
  ready: Promise<void>;
  admissions: WeakMap<RealtimeSocket, Admission>;
  limiter: ConnectionLimiter;
}) => {
  const { strapi, pipeline, ready, admissions, limiter } = options;
  const ipFilter = createIpFilter(options.ipAllowList, options.ipDenyList);

  return async (socket: RealtimeSocket, next: (error?: Error) => void) => {
    try {
      await ready;
      const address = clientAddress(strapi, socket.handshake.address, socket.handshake.headers);
      const refusal = ipFilter(address);
      if (refusal) return next(connectError(refusal.message, refusal.code));

      const credential = handshakeCredential(socket.handshake);
      if (credential.kind === 'malformed') {
        return next(connectError(AUTH_ERROR_MESSAGES.INVALID_TOKEN, 'INVALID_TOKEN', 'The token must be a string'));
      }
      const principal = await pipeline.resolvePrincipal(credential.kind === 'token' ? credential.token : null);
      // A ticket of the shared connection limiter, held until the socket disconnects (the connection registry
      // releases it) or its connection closes, whichever comes first: a client gone before Socket.IO emits
      // `connection` never disconnects. `on`, not `once`: release is idempotent, and `once` would keep a wrapper
      // for the connection's life.
      const admission = limiter.admit(address);
      if (!admission.ok) return next(connectError(admission.refusal.message, admission.refusal.code));
      socket.conn.on('close', admission.release);
      // Gone while it was being authenticated: its 'close' has already fired and will not again.
      if (socket.conn.readyState !== 'open') {
        admission.release();
        return next(connectError('Connection closed', 'INTERNAL_ERROR'));
      }
      admissions.set(socket, { principal, address, release: admission.release });
      next();
    } catch (error) {
      if (error instanceof AuthError) {
        return next(connectError(AUTH_ERROR_MESSAGES[error.code], error.code, error.message));
      }
      strapi.log.error('socket.io handshake failed', error);
      next(connectError('Internal server error', 'INTERNAL_ERROR'));
    }
  };
};
