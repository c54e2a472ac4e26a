import { Counter, Gauge, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import type { RealtimeSnapshot } from '../observability/realtime-snapshot';
import type { HistogramSnapshot } from '../observability/latency-histogram';
import { ERROR_KINDS, TRANSPORT_NAMES, type TransportName } from '../observability/vocabulary';

type GaugeFigure = 'connections' | 'subscriptions' | 'groups' | 'audiences';

/**
 * The plugin's Prometheus metrics on a registry of its own (one per Strapi instance: tests boot several apps in
 * one process, and prom-client's global registry would refuse the second "already registered" metric).
 *
 * Nothing is counted here: every metric reads the snapshot taken for the scrape in its `collect()` (live figures
 * of the transports, the pipeline's counters, the observability sink), so the delivery path never touches
 * prom-client. Labels are transport names, configured content types and actions, fixed reasons and kinds:
 * bounded whatever clients do (no per-document, per-user or per-socket labels).
 */
export const createPrometheusMetrics = (options: { takeSnapshot: () => RealtimeSnapshot; defaultMetrics: boolean }) => {
  const registry = new Registry();
  let snapshot: RealtimeSnapshot = options.takeSnapshot();
  const registers = [registry];

  const transportGauge = (name: string, help: string, figure: GaugeFigure) =>
    new Gauge({
      name,
      help,
      labelNames: ['transport'],
      registers,
      collect() {
        this.reset();
        for (const transport of TRANSPORT_NAMES) {
          const rows = snapshot.transports.filter((row) => row.transport === transport);
          this.set({ transport }, rows.reduce((sum, row) => sum + row[figure], 0));
        }
      },
    });

  /** A counter whose value is read, not incremented: reset to the snapshot's monotonic figure per scrape. */
  const readCounter = <L extends string>(name: string, help: string, labelNames: readonly L[], read: () => [Partial<Record<L, string>>, number][]) =>
    new Counter({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const [labels, value] of read()) this.inc(labels, value);
      },
    });

  const perTransport = (values: Record<TransportName, number>) =>
    TRANSPORT_NAMES.map((transport): [{ transport: string }, number] => [{ transport }, values[transport]]);

  transportGauge('realtime_connections', 'Open connections: graphql-ws sockets past connection_init, SSE streams, admitted Socket.IO sockets.', 'connections');
  transportGauge('realtime_subscriptions', 'Live subscriptions (graphql-ws operations, SSE streams, Socket.IO entity subscriptions).', 'subscriptions');
  transportGauge(
    'realtime_subscription_groups',
    'Subscriber groups (audience + operation + variables) executed once per event; graphql-ws and SSE share groups, counted on graphql-ws. Socket.IO: audience rooms.',
    'groups',
  );
  transportGauge('realtime_audiences', 'Distinct audiences (roles, API tokens) among live subscribers; graphql-ws counts SSE too.', 'audiences');

  readCounter('realtime_events_captured_total', 'Content changes captured on this node, per content type and action.', ['content_type', 'action'], () =>
    snapshot.eventsCaptured.map(({ uid, action, count }) => [{ content_type: uid, action }, count]),
  );
  readCounter('realtime_events_processed_total', 'Content changes this node delivered to its subscribers (with a Redis bus, every node\'s captures).', [], () => [
    [{}, snapshot.eventsReceived],
  ]);
  readCounter('realtime_deliveries_total', 'Messages written to subscribers, per transport.', ['transport'], () => perTransport(snapshot.deliveries));
  readCounter('realtime_sanitize_calls_total', 'Payload sanitizations (one per event and audience, shared by every subscriber of the audience).', [], () => [
    [{}, snapshot.pipeline.sanitizeCalls],
  ]);
  readCounter('realtime_authorization_cache_hits_total', 'Read-permission checks answered from the per-audience cache.', [], () => [
    [{}, snapshot.pipeline.authorizationCacheHits],
  ]);
  readCounter('realtime_authorization_cache_misses_total', 'Read-permission checks that had to ask Strapi.', [], () => [
    [{}, snapshot.pipeline.authorizationCacheMisses],
  ]);
  readCounter('realtime_principals_resolved_total', 'Credentials (JWT, API token, none) resolved to a principal.', [], () => [
    [{}, snapshot.pipeline.principalsResolved],
  ]);
  readCounter('realtime_slow_client_closes_total', 'Subscribers disconnected because they did not read fast enough.', ['transport'], () =>
    perTransport(snapshot.slowClientCloses),
  );
  readCounter('realtime_connections_refused_total', 'Connections refused before being served, per transport and reason.', ['transport', 'reason'], () =>
    snapshot.refusedConnections.map(({ transport, reason, count }) => [{ transport, reason }, count]),
  );
  readCounter('realtime_errors_total', 'Server-side failures per kind (sanitize, delivery, internal, rate_limited).', ['kind'], () =>
    ERROR_KINDS.map((kind): [{ kind: string }, number] => [{ kind }, snapshot.errors[kind]]),
  );

  // How fan-out copes with load (README "Under load"): per delivery queue (graphql = graphql-ws and SSE, socket.io).
  const perQueue = (figure: 'pending' | 'conflated' | 'overflowed') => (): [{ queue: string }, number][] =>
    Object.entries(snapshot.delivery.queues).map(([queue, stats]) => [{ queue }, stats[figure]]);
  new Gauge({
    name: 'realtime_delivery_pending_events',
    help: 'Events waiting for fan-out, per delivery queue (graphql: graphql-ws and SSE; socket.io).',
    labelNames: ['queue'],
    registers,
    collect() {
      this.reset();
      for (const [labels, value] of perQueue('pending')()) this.set(labels, value);
    },
  });
  readCounter('realtime_delivery_conflated_total', 'Waiting updates skipped for a newer version of the same document (contentTypes[].conflate).', ['queue'], perQueue('conflated'));
  readCounter('realtime_delivery_overflowed_total', 'Waiting events dropped past delivery.maxPendingEvents (subscribers got a gap signal).', ['queue'], perQueue('overflowed'));
  readCounter('realtime_delivery_yields_total', 'Times fan-out gave the event loop back to pending I/O mid-work (delivery.sliceMs).', [], () => [[{}, snapshot.delivery.slices.yields]]);
  new Gauge({
    name: 'realtime_outgoing_buffered_bytes',
    help: 'Bytes written to subscribers and not yet taken by them, all sockets together (delivery.maxBufferedBytes bounds it).',
    registers,
    collect() {
      this.set(snapshot.delivery.backlog.bufferedBytes);
    },
  });
  readCounter('realtime_outgoing_budget_closes_total', 'Connections closed because all sockets together held more than delivery.maxBufferedBytes.', [], () => [
    [{}, snapshot.delivery.backlog.shed],
  ]);

  registry.registerMetric(
    histogramMetric('realtime_delivery_latency_seconds', 'Seconds from the capture of a change to the write of its message to a subscriber.', () =>
      TRANSPORT_NAMES.map((transport) => [{ transport }, snapshot.deliveryLatency[transport]]),
    ),
  );

  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });

  return {
    contentType: registry.contentType,
    /** The text exposition of every metric, from one fresh snapshot. */
    async render(): Promise<string> {
      snapshot = options.takeSnapshot();
      return registry.metrics();
    },
    registry,
  };
};

/**
 * A histogram prom-client exposes from our own cumulative buckets (see latency-histogram.ts for why the
 * observations are not made through prom-client's Histogram).
 */
const histogramMetric = (name: string, help: string, read: () => [Record<string, string>, HistogramSnapshot][]): Metric => {
  const get = async () => ({
    name,
    help,
    type: 'histogram' as const,
    aggregator: 'sum' as const,
    values: read().flatMap(([labels, histogram]) => [
      ...histogram.buckets.map(({ le, count }) => ({ metricName: `${name}_bucket`, labels: { ...labels, le: le === Infinity ? '+Inf' : le }, value: count })),
      { metricName: `${name}_sum`, labels, value: histogram.sum },
      { metricName: `${name}_count`, labels, value: histogram.count },
    ]),
  });
  // `reset` because registry.resetMetrics() calls it on every metric; the figures are read, never stored here.
  return { name, help, type: 'histogram', aggregator: 'sum', get, reset: () => undefined } as unknown as Metric;
};

export type PrometheusMetrics = ReturnType<typeof createPrometheusMetrics>;
