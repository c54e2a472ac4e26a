import type { LogRecord } from '../events/log-record';
import type { DeliveryQueueStats } from '../delivery/delivery-queue';

/** Live figures of one transport, for the monitoring service. */
export interface TransportStats {
  transport: 'graphql-ws' | 'graphql-sse' | 'socket.io';
  connections: number;
  subscriptions: number;
  subscriptionsByContentType: Record<string, number>;
  /** Distinct audiences among connected principals. */
  audiences: number;
  /** graphql: subscriber groups (audience + operation + variables); socket.io: audience rooms. */
  groups: number;
  /** graphql: operations executed for events so far (one per group and event). */
  executions?: number;
}

/** Paths a transport serves, for `npm start` and the docs. */
export type Endpoints = Partial<Record<'graphqlWs' | 'graphqlSse' | 'graphiql' | 'sdl' | 'socketIo' | 'metrics', string>>;

/** A started transport: turns connections into subscribers and delivers bus messages to them. */
export interface RunningTransport {
  name: string;
  endpoints: Endpoints;
  /** Queues one record of the event log for this node's subscribers (delivered in log order, in slices). */
  deliver(record: LogRecord): void;
  /** What its delivery queue holds and skipped. */
  queue(): DeliveryQueueStats;
  stats(): TransportStats[];
  stop(): Promise<void>;
}
