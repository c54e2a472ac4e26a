import type { Core } from '@strapi/strapi';
import type { RealtimeConfig } from './config/types';
import type { ContentTypeSettings } from './config/content-type-settings';
import type { BusMessage } from './events/change-event';
import type { RealtimeContext } from './context';
import type { Disposers } from './util/disposers';
import type { Endpoints, RunningTransport } from './transports/transport';
import type { SocketIoTransport } from './transports/socket-io';

/** What `bootstrap` started: the context every part was built from, and the transports. */
export interface StartedRuntime {
  context: RealtimeContext;
  transports: RunningTransport[];
  /** The Socket.IO transport when enabled (the monitoring service lists its sockets and rooms). */
  socketIo: SocketIoTransport | null;
}

/**
 * The plugin's state for one Strapi instance, for what Strapi reaches by instance: its services (`strapi.plugin(
 * 'realtime').service(...)`) and `destroy`. Transports and the pipeline never look here; they get the context.
 */
export interface Runtime {
  config: RealtimeConfig;
  settings: ReadonlyMap<string, ContentTypeSettings>;
  /** Server-side listeners of every bus message (raw, unsanitized: for server code only). */
  changeListeners: Set<(message: BusMessage) => void>;
  disposers: Disposers;
  started: StartedRuntime | null;
}

const runtimes = new WeakMap<Core.Strapi, Runtime>();

export const setRuntime = (strapi: Core.Strapi, runtime: Runtime) => runtimes.set(strapi, runtime);
export const clearRuntime = (strapi: Core.Strapi) => runtimes.delete(strapi);

export const runtimeOf = (strapi: Core.Strapi): Runtime => {
  const runtime = runtimes.get(strapi);
  if (!runtime) throw new Error('[realtime] the plugin is not registered on this Strapi instance');
  return runtime;
};

/** Paths of the endpoints this app serves (transports, and the metrics endpoint when enabled). */
export const endpointsOf = (runtime: Runtime): Endpoints => ({
  ...Object.assign({}, ...(runtime.started?.transports.map((transport) => transport.endpoints) ?? [])),
  ...(runtime.started && runtime.config.metrics.enabled ? { metrics: runtime.config.metrics.path } : {}),
});

/** The started runtime; throws before bootstrap, so misuse is loud rather than silent. */
export const startedRuntimeOf = (strapi: Core.Strapi): StartedRuntime => {
  const { started } = runtimeOf(strapi);
  if (!started) throw new Error('[realtime] the plugin has not finished bootstrapping');
  return started;
};
