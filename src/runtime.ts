import type { Core } from '@strapi/strapi';
import type { RealtimeConfig } from './config/types';
import type { ContentTypeSettings } from './config/content-type-settings';
import type { EventBus } from './bus/event-bus';
import type { BusMessage } from './capture/change-event';
import type { Pipeline } from './pipeline/pipeline';
import type { createDisposers } from './util/disposers';
import type { RunningTransport } from './transports/transport';
import type { Observability } from './observability/observability';
import type { UpgradeRouter } from './transports/upgrade-router';

/** Everything the plugin started for one Strapi instance. Kept per instance, never in a global. */
export interface Runtime {
  config: RealtimeConfig;
  settings: ReadonlyMap<string, ContentTypeSettings>;
  bus?: EventBus;
  pipeline?: Pipeline;
  /** Server-side listeners of every bus message (raw, unsanitized: for server code only). */
  listeners: Set<(message: BusMessage) => void>;
  disposers: ReturnType<typeof createDisposers>;
  /** Started transports (graphql-ws + SSE, Socket.IO); bus messages are delivered to each. */
  transports: RunningTransport[];
  /** Where transports report (plugin-io's event log, deliveries, refusals, errors); read by monitoring, admin, metrics. */
  monitor?: Observability;
  upgrades?: UpgradeRouter;
  /** Endpoints for `npm start` and the docs, filled as transports start. */
  endpoints: Partial<Record<'graphqlWs' | 'graphqlSse' | 'graphiql' | 'sdl' | 'socketIo' | 'metrics', string>>;
}

const runtimes = new WeakMap<Core.Strapi, Runtime>();

export const setRuntime = (strapi: Core.Strapi, runtime: Runtime) => runtimes.set(strapi, runtime);
export const clearRuntime = (strapi: Core.Strapi) => runtimes.delete(strapi);

export const runtimeOf = (strapi: Core.Strapi): Runtime => {
  const runtime = runtimes.get(strapi);
  if (!runtime) throw new Error('[realtime] the plugin is not registered on this Strapi instance');
  return runtime;
};

/** The started pipeline and bus; throws before bootstrap, so misuse is loud rather than silent. */
export const startedRuntimeOf = (strapi: Core.Strapi): Required<Pick<Runtime, 'bus' | 'pipeline'>> & Runtime => {
  const runtime = runtimeOf(strapi);
  if (!runtime.bus || !runtime.pipeline) throw new Error('[realtime] the plugin has not finished bootstrapping');
  return runtime as Required<Pick<Runtime, 'bus' | 'pipeline'>> & Runtime;
};
