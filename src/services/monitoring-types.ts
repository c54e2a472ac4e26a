/**
 * Types of the monitoring service (`strapi.plugin('realtime').service('monitoring')`): plugin-io's shapes, covering
 * every transport. Re-exported from the package root.
 */
import type { TransportStats } from '../transports/transport';
import type { EntitySubscription, SocketUser } from '../transports/socket-io/types';
import type { EventLogEntry } from './event-monitor';

export type { EventLogEntry };

export interface ConnectionStats {
  connected: number;
  rooms: Array<{ name: string; members: number; isEntityRoom: boolean }>;
  sockets: Array<{
    id: string;
    connected: boolean;
    rooms: string[];
    entitySubscriptions: EntitySubscription[];
    handshake: { address: string; time: string; query: Record<string, unknown> };
    user: SocketUser | null;
    audience: string | null;
  }>;
  entitySubscriptions: { total: number; byContentType: Record<string, number>; rooms: string[] };
  /** Every running transport (Socket.IO, graphql-ws, GraphQL over SSE). */
  transports: TransportStats[];
}

export interface EventStats {
  totalEvents: number;
  eventsByType: Record<string, number>;
  lastReset: number;
  /** A string with two decimals, as plugin-io returns it. */
  eventsPerSecond: string;
}

export interface TestEventResult {
  success: true;
  eventName: string;
  data: Record<string, unknown> & { timestamp: number; test: true };
  recipients: number;
}

export interface MonitoringService {
  getConnectionStats(): ConnectionStats;
  getEventStats(): EventStats;
  getEventLog(limit?: number): EventLogEntry[];
  logEvent(type: string, data?: unknown): void;
  resetStats(): void;
  sendTestEvent(eventName?: string, data?: Record<string, unknown>): TestEventResult;
}
