import { createRealtimeClient, type RealtimeClient, type RealtimeClientOptions } from './realtime-client.js';

/** Integrations accept a client (to share one connection, or to dispose it) or the options to create one. */
export type RealtimeClientOrOptions = RealtimeClient | RealtimeClientOptions;

export const resolveRealtimeClient = (input: RealtimeClientOrOptions): RealtimeClient =>
  typeof (input as RealtimeClient).subscribe === 'function' ? (input as RealtimeClient) : createRealtimeClient(input as RealtimeClientOptions);
