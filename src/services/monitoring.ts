import type { Core } from '@strapi/strapi';
import { runtimeOf } from '../runtime';
import { parseEntityRoomName } from '../names/socket-io-names';
import { entitySubscriptionsOf } from '../transports/socket-io/entity-subscriptions';
import type { ConnectionStats, EventStats, MonitoringService, TestEventResult } from './monitoring-types';

/** Handshake query keys that carry credentials (strapi-plugin-socketio's `jwt`, plugin-io's `token`): never shown. */
const CREDENTIAL_QUERY_KEYS = new Set(['jwt', 'token', 'access_token']);

/**
 * `strapi.plugin('realtime').service('monitoring')`: plugin-io's monitoring service (same methods and shapes),
 * covering every transport. Counters and the bounded event log are the started context's observability sink; before
 * bootstrap (or after destroy) it reports nothing rather than throwing.
 */
export const monitoringService = ({ strapi }: { strapi: Core.Strapi }): MonitoringService => {
  const started = () => runtimeOf(strapi).started;

  return {
    getConnectionStats(): ConnectionStats {
      const running = started();
      const stats: ConnectionStats = {
        connected: 0,
        rooms: [],
        sockets: [],
        entitySubscriptions: { total: 0, byContentType: {}, rooms: [] },
        transports: running?.transports.flatMap((transport) => transport.stats()) ?? [],
      };
      if (!running?.socketIo) return stats;
      const { io, registry } = running.socketIo;
      const { stripSensitive } = running.context.pipeline;

      for (const socket of io.sockets.sockets.values()) {
        const query = Object.fromEntries(
          Object.entries(socket.handshake.query ?? {}).filter(([key]) => !CREDENTIAL_QUERY_KEYS.has(key.toLowerCase())),
        );
        stats.sockets.push({
          id: socket.id,
          connected: socket.connected,
          rooms: [...socket.rooms].filter((room) => room !== socket.id),
          entitySubscriptions: entitySubscriptionsOf(socket),
          handshake: {
            address: registry.get(socket.id)?.address ?? socket.handshake.address,
            time: socket.handshake.time,
            query: stripSensitive(query) as Record<string, unknown>,
          },
          user: socket.data.user ?? null,
          audience: socket.data.principal?.audienceKey ?? null,
        });
      }
      stats.connected = stats.sockets.length;

      for (const [name, members] of io.sockets.adapter.rooms) {
        // A socket's own id room is not a room anyone joined.
        if (members.size === 1 && members.has(name)) continue;
        const entity = parseEntityRoomName(name);
        stats.rooms.push({ name, members: members.size, isEntityRoom: entity !== null });
        if (!entity) continue;
        stats.entitySubscriptions.total += members.size;
        stats.entitySubscriptions.byContentType[entity.uid] = (stats.entitySubscriptions.byContentType[entity.uid] ?? 0) + members.size;
        stats.entitySubscriptions.rooms.push(name);
      }
      return stats;
    },

    getEventStats(): EventStats {
      return started()?.context.monitor.getEventStats() ?? { totalEvents: 0, eventsByType: {}, lastReset: Date.now(), eventsPerSecond: '0.00' };
    },

    getEventLog(limit = 50) {
      return started()?.context.monitor.getEventLog(limit) ?? [];
    },

    logEvent(type: string, data: unknown = {}) {
      started()?.context.monitor.logEvent(type, data);
    },

    resetStats() {
      started()?.context.monitor.resetStats();
    },

    sendTestEvent(eventName = 'test', data: Record<string, unknown> = {}): TestEventResult {
      const running = started();
      if (!running?.socketIo) throw new Error('Socket.IO not initialized');
      const { io } = running.socketIo;
      const payload = { ...(running.context.pipeline.stripSensitive(data) as Record<string, unknown>), timestamp: Date.now(), test: true as const };
      io.emit(eventName, payload);
      running.context.monitor.logEvent('test', { eventName, recipients: io.sockets.sockets.size });
      return { success: true, eventName, data: payload, recipients: io.sockets.sockets.size };
    },
  };
};
