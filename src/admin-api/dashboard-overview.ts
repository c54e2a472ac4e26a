import { endpointsOf, type Runtime } from '../runtime';
import { takeSnapshot } from '../observability/realtime-snapshot';
import { histogramQuantile } from '../observability/latency-histogram';
import { SERIES_WINDOW_SECONDS } from '../observability/observability';
import { perTransport } from '../observability/vocabulary';

/** Event log rows the page shows. */
const RECENT_EVENTS_SHOWN = 50;

/**
 * Everything the Realtime page shows, in one response polled every 1.5 s: per-transport figures, counters,
 * latency percentiles, the per-second series, the recent event log (identifiers and counts, no field values)
 * and the endpoints.
 */
export const dashboardOverview = (runtime: Runtime) => {
  const snapshot = takeSnapshot(runtime.started);
  const monitor = runtime.started?.context.monitor;
  return {
    at: snapshot.at,
    startedAt: snapshot.startedAt,
    transports: snapshot.transports.map(({ transport, connections, subscriptions, audiences, groups }) => ({
      transport,
      connections,
      subscriptions,
      audiences,
      groups,
    })),
    pipeline: snapshot.pipeline,
    eventsCaptured: snapshot.eventsCaptured.reduce((sum, { count }) => sum + count, 0),
    eventsProcessed: snapshot.eventsReceived,
    deliveries: snapshot.deliveries,
    latency: perTransport((transport) => {
      const histogram = snapshot.deliveryLatency[transport];
      return {
        count: histogram.count,
        p50: histogramQuantile(histogram, 0.5),
        p95: histogramQuantile(histogram, 0.95),
        p99: histogramQuantile(histogram, 0.99),
      };
    }),
    slowClientCloses: snapshot.slowClientCloses,
    refusedConnections: snapshot.refusedConnections,
    errors: snapshot.errors,
    series: { windowSeconds: SERIES_WINDOW_SECONDS, points: monitor?.series() ?? [] },
    recentEvents: monitor?.recentEvents(RECENT_EVENTS_SHOWN) ?? [],
    endpoints: endpointsOf(runtime),
  };
};

export type DashboardOverview = ReturnType<typeof dashboardOverview>;
