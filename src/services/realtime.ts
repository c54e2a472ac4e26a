import type { Core } from '@strapi/strapi';
import type { BusMessage } from '../events/change-event';
import { endpointsOf, runtimeOf, startedRuntimeOf } from '../runtime';
import type { Endpoints } from '../transports/transport';
import { deliveryStatsOf, type DeliveryStats } from '../delivery/delivery-stats';

/** `strapi.plugin('realtime').service('realtime')`: what server code may use. */
export const realtimeService = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Pipeline counters (events captured, sanitize calls, authorization cache hits/misses, ...). */
  getPipelineStats() {
    return { ...startedRuntimeOf(strapi).context.pipeline.stats };
  },
  /**
   * Every change as captured, before authorization and sanitizing: for server code only, never forward
   * these to clients (use the transports, which sanitize per audience). Returns the disposer.
   */
  onChange(listener: (message: BusMessage) => void) {
    const { changeListeners } = runtimeOf(strapi);
    changeListeners.add(listener);
    return () => changeListeners.delete(listener);
  },
  /** Figures of every running transport (connections, subscriptions, groups, executions). */
  getTransportStats() {
    return runtimeOf(strapi).started?.transports.flatMap((transport) => transport.stats()) ?? [];
  },
  /**
   * How fan-out copes with load on this node: its time slices (yields to the CMS, the longest slice, writes per
   * flush), each transport's delivery queue (waiting, conflated, dropped past the limit) and the bytes buffered
   * for all sockets against the global budget (and connections closed for it).
   */
  getDeliveryStats(): DeliveryStats {
    return deliveryStatsOf(startedRuntimeOf(strapi));
  },
  /**
   * What live clients hold on this node, summed over every transport: connection tickets, subscriptions, groups,
   * Socket.IO rooms and cached documents. After the last client leaves, everything but `cachedDocuments` reads 0.
   */
  getResourceStats() {
    const started = runtimeOf(strapi).started;
    const transports = started?.transports.flatMap((transport) => transport.stats()) ?? [];
    const sum = (pick: (row: (typeof transports)[number]) => number) => transports.reduce((total, row) => total + pick(row), 0);
    const rooms = started?.socketIo?.io.sockets.adapter.rooms;
    return {
      connectionTickets: started?.context.limiter.stats().connections ?? 0,
      connections: sum((row) => row.connections),
      subscriptions: sum((row) => row.subscriptions),
      groups: sum((row) => row.groups),
      socketIoRooms: rooms ? [...rooms].filter(([name, members]) => !(members.size === 1 && members.has(name))).length : 0,
    };
  },
  /** Paths of the endpoints (graphql-ws, SSE, GraphiQL, SDL, Socket.IO) this app serves. */
  getEndpoints(): Endpoints {
    return endpointsOf(runtimeOf(strapi));
  },
  /** The content types and actions that emit, as resolved from the config. */
  getContentTypes() {
    return [...runtimeOf(strapi).settings.values()].map((s) => ({ ...s, actions: [...s.actions] }));
  },
});
