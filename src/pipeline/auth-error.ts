/** Why a principal was refused. Transports map these to their own wire codes (graphql-ws 4403, connect_error data.code). */
export type AuthErrorCode = 'INVALID_TOKEN' | 'TOKEN_EXPIRED' | 'INVALID_CREDENTIALS' | 'USER_BLOCKED' | 'TOKEN_REVOKED';

export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}
