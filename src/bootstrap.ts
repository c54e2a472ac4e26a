import type { Core } from '@strapi/strapi';
import { runtimeOf } from './runtime';
import type { RealtimeContext } from './context';
import { createMemoryBus } from './bus/memory-bus';
import { createRedisBus } from './bus/redis-bus';
import { createPipeline } from './pipeline/pipeline';
import { startDocumentCapture } from './capture/document-capture';
import { createObservability } from './observability/observability';
import { registerAdminPermissions } from './admin-api/permissions';
import { startMetrics } from './metrics/start-metrics';
import { createStrapiAdapter } from './strapi/strapi-adapter';
import { createUpgradeRouter } from './transports/upgrade-router';
import { createConnectionLimiter } from './transports/connection-limiter';
import { startGraphqlTransport } from './transports/graphql';
import { startSocketIoTransport } from './transports/socket-io';
import type { RunningTransport } from './transports/transport';

/**
 * The composition root: builds the context (bus, pipeline, monitor, upgrade router) once, starts capture and the
 * transports from it, and registers each disposer for `destroy` (reverse order).
 */
export const bootstrap = async ({ strapi: app }: { strapi: Core.Strapi }) => {
  const runtime = runtimeOf(app);
  const { disposers, config, settings, changeListeners } = runtime;
  const strapi = createStrapiAdapter(app);
  const { log } = strapi;
  const logError = (error: unknown) => log.error('delivery failed', error);

  const bus =
    config.bus.kind === 'redis'
      ? await createRedisBus({ url: config.bus.url, channel: config.bus.channel, onError: (error) => log.error('Redis bus', error) })
      : createMemoryBus(logError);
  disposers.add(() => bus.close());

  const pipeline = createPipeline(strapi, config);
  disposers.add(() => pipeline.dispose());

  const upgrades = createUpgradeRouter(strapi.httpServer);
  disposers.add(() => upgrades.stop());

  const context: RealtimeContext = {
    strapi,
    log,
    config,
    settings,
    pipeline,
    bus,
    monitor: createObservability({ eventLogSize: config.eventLogSize }),
    upgrades,
    limiter: createConnectionLimiter(config.limits),
  };

  const transports: RunningTransport[] = [];
  if (config.graphql.enabled) transports.push(await startGraphqlTransport(context));
  const socketIo = config.socket.enabled ? await startSocketIoTransport(context, app) : null;
  if (socketIo) transports.push(socketIo);
  runtime.started = { context, transports, socketIo };
  disposers.add(async () => {
    for (const transport of transports.splice(0).reverse()) await transport.stop();
    runtime.started = null;
  });

  disposers.add(
    bus.subscribe((message) => {
      context.monitor.received(message);
      for (const listener of changeListeners) listener(message);
      for (const transport of transports) transport.deliver(message).catch(logError);
    }),
  );

  disposers.add(
    startDocumentCapture({
      strapi,
      settings,
      publish: (message) => bus.publish(message),
      onCaptured: (event) => {
        pipeline.stats.eventsCaptured++;
        context.monitor.captured(event);
      },
    }),
  );

  // What operators use beside the transports: the admin permission behind the Realtime page, and metrics.
  await registerAdminPermissions(strapi);
  startMetrics(strapi, runtime);
};
