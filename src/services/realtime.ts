import type { Core } from '@strapi/strapi';
import type { BusMessage } from '../capture/change-event';
import { runtimeOf, startedRuntimeOf } from '../runtime';

/** `strapi.plugin('realtime').service('realtime')`: what server code may use. */
export const realtimeService = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Pipeline counters (events captured, sanitize calls, authorization cache hits/misses, ...). */
  getPipelineStats() {
    return { ...startedRuntimeOf(strapi).pipeline.stats };
  },
  /**
   * Every change as captured, before authorization and sanitizing: for server code only, never forward
   * these to clients (use the transports, which sanitize per audience). Returns the disposer.
   */
  onChange(listener: (message: BusMessage) => void) {
    const { listeners } = runtimeOf(strapi);
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** Figures of every running transport (connections, subscriptions, groups, executions). */
  getTransportStats() {
    return runtimeOf(strapi).transports.flatMap((transport) => transport.stats());
  },
  /** Paths of the endpoints (graphql-ws, SSE, GraphiQL, SDL, Socket.IO) this app serves. */
  getEndpoints() {
    return { ...runtimeOf(strapi).endpoints };
  },
  /** The content types and actions that emit, as resolved from the config. */
  getContentTypes() {
    return [...runtimeOf(strapi).settings.values()].map((s) => ({ ...s, actions: [...s.actions] }));
  },
});
