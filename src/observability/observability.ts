import type { BusMessage, ChangeEvent } from '../events/change-event';
import { createEventMonitor } from '../services/event-monitor';
import { createLatencyHistogram, type HistogramSnapshot } from './latency-histogram';
import { createRateSeries, type RatePoint } from './rate-series';
import { createRecentEvents, type RecentEvent } from './recent-events';
import { ERROR_KINDS, perTransport, refusalReason, type ErrorKind, type RefusalReason, type TransportName } from './vocabulary';

/** Seconds of history behind the admin chart. */
export const SERIES_WINDOW_SECONDS = 300;
/** Changes kept for the admin page's event log. */
export const RECENT_EVENTS_LIMIT = 100;

export type SeriesName = 'events' | 'deliveries';

/** What a transport delivered: a captured change or a `strapi.$io.emit` (both carry an id and a capture time). */
export interface DeliveredSubject {
  id: string;
  at: string;
}

/** The sink's own counters, as the monitoring service, the admin API and the Prometheus metrics read them. */
export interface ObservabilityCounters {
  startedAt: number;
  /** Changes captured on this node, per content type and action. */
  eventsCaptured: { uid: string; action: ChangeEvent['action']; count: number }[];
  /** Changes this node delivered to its subscribers (with a Redis bus, every node's captures). */
  eventsReceived: number;
  /** Messages written to subscribers. */
  deliveries: Record<TransportName, number>;
  /** Seconds from capture to the write to a subscriber, per written message. */
  deliveryLatency: Record<TransportName, HistogramSnapshot>;
  slowClientCloses: Record<TransportName, number>;
  refusedConnections: { transport: TransportName; reason: RefusalReason; count: number }[];
  /** Failures reported by transports (sanitize failures live in the pipeline's stats). */
  errors: Record<ErrorKind, number>;
}

/**
 * The one place transports report to, for everything an operator looks at: plugin-io's event log and counters
 * (`logEvent`, `getEventStats`, ... as the monitoring service documents them), plus typed reports (captures,
 * deliveries with their latency, per-event reach, slow-client closes, refused connections, errors).
 *
 * Every report is a few arithmetic operations, cheap enough for the per-subscriber write path. Nothing here is
 * keyed by client input: labels are transport names, fixed reasons and kinds, and configured content types.
 */
export const createObservability = (options: { eventLogSize: number; now?: () => number }) => {
  const now = options.now ?? Date.now;
  const monitor = createEventMonitor(options.eventLogSize);
  const startedAt = now();
  const captured = new Map<string, { uid: string; action: ChangeEvent['action']; count: number }>();
  let eventsReceived = 0;
  const deliveries = perTransport(() => 0);
  const latency = perTransport(() => createLatencyHistogram());
  const slowClientCloses = perTransport(() => 0);
  const refused = new Map<string, { transport: TransportName; reason: RefusalReason; count: number }>();
  const errors = Object.fromEntries(ERROR_KINDS.map((kind) => [kind, 0])) as Record<ErrorKind, number>;
  const series = createRateSeries<SeriesName>(['events', 'deliveries'], SERIES_WINDOW_SECONDS, now);
  const recent = createRecentEvents(RECENT_EVENTS_LIMIT);

  // Subjects are delivered one group after another: parse each capture time once, not per write.
  let lastSubject: DeliveredSubject | null = null;
  let lastCapturedAt = 0;
  const capturedAtOf = (subject: DeliveredSubject) => {
    if (subject !== lastSubject) {
      lastSubject = subject;
      lastCapturedAt = Date.parse(subject.at);
    }
    return lastCapturedAt;
  };

  return {
    // plugin-io's monitoring: the bounded event log and its counters.
    ...monitor,

    /** A change captured on this node (before it is published on the bus). */
    captured(event: ChangeEvent) {
      const key = `${event.uid}\u0000${event.action}`;
      const entry = captured.get(key);
      if (entry) entry.count++;
      else captured.set(key, { uid: event.uid, action: event.action, count: 1 });
    },

    /** A bus message this node is about to deliver (its own captures and, with Redis, other nodes'). */
    received(message: BusMessage) {
      if (message.type !== 'change') return;
      eventsReceived++;
      series.add('events');
      recent.add(message.event);
    },

    /** `count` subscribers of `audienceKey` were written `subject` on `transport` (one message each). */
    delivered(transport: TransportName, subject: DeliveredSubject, audienceKey: string, count = 1) {
      if (!(count > 0)) return;
      deliveries[transport] += count;
      series.add('deliveries', count);
      latency[transport].observe((now() - capturedAtOf(subject)) / 1000, count);
      recent.reached(subject.id, transport, audienceKey, count);
    },

    /** A subscriber that did not read fast enough was disconnected (its backlog hit the limit). */
    slowClientClosed(transport: TransportName) {
      slowClientCloses[transport]++;
    },

    /** A connection refused before it was served; `code` is an AuthError / connect_error code or a reason. */
    connectionRefused(transport: TransportName, code: string) {
      const reason = refusalReason(code);
      const key = `${transport}|${reason}`;
      const entry = refused.get(key);
      if (entry) entry.count++;
      else refused.set(key, { transport, reason, count: 1 });
      if (reason === 'internal_error') errors.internal++;
    },

    error(kind: ErrorKind) {
      errors[kind]++;
    },

    counters(): ObservabilityCounters {
      return {
        startedAt,
        eventsCaptured: [...captured.values()].map((entry) => ({ ...entry })),
        eventsReceived,
        deliveries: { ...deliveries },
        deliveryLatency: perTransport((transport) => latency[transport].snapshot()),
        slowClientCloses: { ...slowClientCloses },
        refusedConnections: [...refused.values()].map((entry) => ({ ...entry })),
        errors: { ...errors },
      };
    },

    /** Events and deliveries per second over the last `SERIES_WINDOW_SECONDS`, oldest first. */
    series(): RatePoint<SeriesName>[] {
      return series.points();
    },

    /** The latest changes this node processed, newest first, with their reach. */
    recentEvents(max?: number): RecentEvent[] {
      return recent.list(max);
    },
  };
};

export type Observability = ReturnType<typeof createObservability>;
