import type { Core } from '@strapi/strapi';
import type { Server } from 'node:http';
import { runtimeOf } from './runtime';
import { createMemoryBus } from './bus/memory-bus';
import { createRedisBus } from './bus/redis-bus';
import { createPipeline } from './pipeline/pipeline';
import { startDocumentCapture } from './capture/document-capture';
import { createObservability } from './observability/observability';
import { createUpgradeRouter } from './transports/upgrade-router';
import { startGraphqlTransport } from './transports/graphql';
import { startSocketIoTransport } from './transports/socket-io';

/** Starts bus, pipeline, capture and transports; each start registers its disposer for `destroy`. */
export const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  const runtime = runtimeOf(strapi);
  const { disposers, config } = runtime;
  const logError = (error: unknown) => strapi.log.error(`[realtime] ${error instanceof Error ? error.stack : String(error)}`);

  const bus =
    config.bus.kind === 'redis'
      ? await createRedisBus({ url: config.bus.url, channel: config.bus.channel, onError: logError })
      : createMemoryBus(logError);
  runtime.bus = bus;
  disposers.add(() => bus.close());

  const pipeline = createPipeline(strapi, config);
  runtime.pipeline = pipeline;
  disposers.add(() => pipeline.dispose());

  const monitor = (runtime.monitor = createObservability({ eventLogSize: config.eventLogSize }));

  const upgrades = createUpgradeRouter(strapi.server.httpServer as Server);
  runtime.upgrades = upgrades;
  disposers.add(() => upgrades.stop());

  if (config.graphql.enabled) runtime.transports.push(await startGraphqlTransport(strapi, runtime));
  if (config.socket.enabled) runtime.transports.push(await startSocketIoTransport(strapi, runtime));
  disposers.add(async () => {
    for (const transport of runtime.transports.splice(0).reverse()) await transport.stop();
  });

  disposers.add(
    bus.subscribe((message) => {
      monitor.received(message);
      for (const listener of runtime.listeners) listener(message);
      for (const transport of runtime.transports) transport.deliver(message).catch(logError);
    }),
  );

  disposers.add(
    startDocumentCapture({
      strapi,
      settings: runtime.settings,
      publish: (message) => bus.publish(message),
      onCaptured: (event) => {
        pipeline.stats.eventsCaptured++;
        monitor.captured(event);
      },
    }),
  );
};
