import type { Core } from '@strapi/strapi';
import { runtimeOf } from '../runtime';
import { parseEntityRoomName } from '../schema/names';
import { entitySubscriptionsOf } from '../transports/socket-io/entity-subscriptions';
import { socketIoHandleOf } from '../transports/socket-io/socket-io-handle';
import type { ConnectionStats, EventStats, MonitoringService, TestEventResult } from '../transports/socket-io/types';

/** Handshake query keys that carry credentials (strapi-plugin-socketio's `jwt`, plugin-io's `token`): never shown. */
const CREDENTIAL_QUERY_KEYS = new Set(['jwt', 'token', 'access_token']);

/**
 * `strapi.plugin('realtime').service('monitoring')`: plugin-io's monitoring service (same methods and shapes),
 * covering every transport. Counters and the bounded event log are the runtime's EventMonitor.
 */
export const monitoringService = ({ strapi }: { strapi: Core.Strapi }): MonitoringService => {
  const monitor = () => runtimeOf(strapi).monitor;
  const transportStats = () => runtimeOf(strapi).transports.flatMap((transport) => transport.stats());

  return {
    getConnectionStats(): ConnectionStats {
      const handle = socketIoHandleOf(strapi);
      const stats: ConnectionStats = {
        connected: 0,
        rooms: [],
        sockets: [],
        entitySubscriptions: { total: 0, byContentType: {}, rooms: [] },
        transports: transportStats(),
      };
      if (!handle) return stats;
      const { io, registry } = handle;
      const stripSensitive = runtimeOf(strapi).pipeline?.stripSensitive ?? ((value: unknown) => value);

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
      return monitor()?.getEventStats() ?? { totalEvents: 0, eventsByType: {}, lastReset: Date.now(), eventsPerSecond: '0.00' };
    },

    getEventLog(limit = 50) {
      return monitor()?.getEventLog(limit) ?? [];
    },

    logEvent(type: string, data: unknown = {}) {
      monitor()?.logEvent(type, data);
    },

    resetStats() {
      monitor()?.resetStats();
    },

    sendTestEvent(eventName = 'test', data: Record<string, unknown> = {}): TestEventResult {
      const handle = socketIoHandleOf(strapi);
      if (!handle) throw new Error('Socket.IO not initialized');
      const stripSensitive = runtimeOf(strapi).pipeline?.stripSensitive ?? ((value: unknown) => value);
      const payload = { ...(stripSensitive(data) as Record<string, unknown>), timestamp: Date.now(), test: true as const };
      handle.io.emit(eventName, payload);
      monitor()?.logEvent('test', { eventName, recipients: handle.io.sockets.sockets.size });
      return { success: true, eventName, data: payload, recipients: handle.io.sockets.sockets.size };
    },
  };
};
