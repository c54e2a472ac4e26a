/**
 * `strapi-plugin-realtime/client`: the GraphQL subscription client for browsers and Node. Apollo Client,
 * urql and Socket.IO integrations live in their own entries (`/client/apollo`, `/client/urql`,
 * `/client/socket`) so an app only needs the libraries it uses.
 */
export { createRealtimeClient } from './realtime-client.js';
export type { KeepAliveOptions, RealtimeClient, RealtimeClientOptions } from './realtime-client.js';
export type { RetryOptions } from './backoff.js';
export { backoffDelay } from './backoff.js';
export { FORBIDDEN_CLOSE_CODE, RealtimeConnectionError } from './connection-error.js';
export type { ConnectionErrorKind, Transport } from './connection-error.js';
export type { CredentialOptions, TokenGetter } from './token-source.js';
export type { RealtimeRequest, RealtimeResult, RealtimeSink } from './request.js';
export type { GapReason, RealtimeGap } from './resume.js';
