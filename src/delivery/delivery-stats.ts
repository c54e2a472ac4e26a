import type { StartedRuntime } from '../runtime';
import type { DeliverySlicesStats } from './delivery-slices';
import type { DeliveryQueueStats } from './delivery-queue';
import type { BacklogBudgetStats } from './backlog-budget';

/** How fan-out copes with load on this node (the realtime service and the Prometheus metrics read it). */
export interface DeliveryStats {
  slices: DeliverySlicesStats;
  /** Per running transport (`graphql`: graphql-ws and SSE share one queue; `socket.io`). */
  queues: Record<string, DeliveryQueueStats>;
  backlog: BacklogBudgetStats;
}

export const deliveryStatsOf = (started: StartedRuntime | null): DeliveryStats => ({
  slices: started?.context.slices.stats() ?? { slices: 0, yields: 0, longestSliceMs: 0, heldWrites: 0, flushes: 0 },
  queues: Object.fromEntries(started?.transports.map((transport) => [transport.name, transport.queue()]) ?? []),
  backlog: started?.context.backlog.stats() ?? { bufferedBytes: 0, shed: 0 },
});
