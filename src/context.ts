import type { RealtimeConfig } from './config/types';
import type { ContentTypeSettings } from './config/content-type-settings';
import type { EventLog } from './bus/event-log';
import type { BusMessage } from './events/change-event';
import type { Log } from './log';
import type { Pipeline } from './pipeline/pipeline';
import type { Observability } from './observability/observability';
import type { Tracer } from './observability/trace';
import type { StrapiAdapter } from './strapi/strapi-adapter';
import type { UpgradeRouter } from './transports/upgrade-router';
import type { ConnectionLimiter } from './transports/connection-limiter';
import type { DeliverySlices } from './delivery/delivery-slices';
import type { BacklogBudget } from './delivery/backlog-budget';

/**
 * What every part of the plugin is built from, assembled once in `bootstrap` (the composition root) and passed
 * down. Nothing in it is optional and nothing looks itself up by Strapi instance.
 */
export interface RealtimeContext {
  strapi: StrapiAdapter;
  log: Log;
  config: RealtimeConfig;
  /** The enabled content types and their actions, resolved against the app. */
  settings: ReadonlyMap<string, ContentTypeSettings>;
  pipeline: Pipeline;
  /** The ordered log every change goes through; live delivery and replay both read it. */
  eventLog: EventLog;
  /** Reduces a message to what may be stored (no secrets) and appends it to the log. Never waits on the network. */
  publish(message: BusMessage): Promise<void>;
  /** Where transports report what operators look at (event log, deliveries, refusals, errors). */
  monitor: Observability;
  /** The one `upgrade` listener of Strapi's HTTP server; transports claim their paths on it. */
  upgrades: UpgradeRouter;
  /** Live connections of every transport together, in total and per client address. */
  limiter: ConnectionLimiter;
  /** Fan-out time slices shared by every transport: they yield to the CMS's I/O and batch writes per socket. */
  slices: DeliverySlices;
  /** The byte budget of everything buffered for all sockets together. */
  backlog: BacklogBudget;
  /** Step-by-step tracing of events (off unless REALTIME_TRACE is set). */
  trace: Tracer;
}
