import type { StartedRuntime } from '../runtime';
import type { PipelineStats } from '../pipeline/pipeline-stats';
import { createPipelineStats } from '../pipeline/pipeline-stats';
import type { TransportStats } from '../transports/transport';
import type { ObservabilityCounters } from './observability';
import { createObservability } from './observability';
import { deliveryStatsOf, type DeliveryStats } from '../delivery/delivery-stats';

/** Everything live in one read: transports' own figures, the pipeline's counters and the sink's. */
export interface RealtimeSnapshot extends ObservabilityCounters {
  /** When the snapshot was taken (ms since epoch). */
  at: number;
  transports: TransportStats[];
  pipeline: PipelineStats;
  delivery: DeliveryStats;
}

// Before bootstrap (or after destroy) there is nothing running: report zeros rather than throw.
const idle = createObservability({ eventLogSize: 0 });

/**
 * Reads the running plugin once: the admin API and a Prometheus scrape each take one snapshot per request, so
 * transport stats (which walk the connections) are computed once, not once per figure.
 */
export const takeSnapshot = (started: StartedRuntime | null): RealtimeSnapshot => {
  const counters = (started?.context.monitor ?? idle).counters();
  const pipeline = { ...(started?.context.pipeline.stats ?? createPipelineStats()) };
  return {
    ...counters,
    at: Date.now(),
    transports: started?.transports.flatMap((transport) => transport.stats()) ?? [],
    pipeline,
    delivery: deliveryStatsOf(started),
    // A sanitize failure drops the event for that audience: an error an operator must see next to the others.
    errors: { ...counters.errors, sanitize: counters.errors.sanitize + pipeline.sanitizeFailures },
  };
};
