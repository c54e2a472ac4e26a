import type { Core } from '@strapi/strapi';
import { runtimeOf } from './runtime';
import { createMemoryBus } from './bus/memory-bus';
import { createPipeline } from './pipeline/pipeline';
import { startDocumentCapture } from './capture/document-capture';

/** Starts bus, pipeline, capture and transports; each start registers its disposer for `destroy`. */
export const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  const runtime = runtimeOf(strapi);
  const { disposers } = runtime;
  const logError = (error: unknown) => strapi.log.error(`[realtime] ${String(error)}`);

  const bus = createMemoryBus(logError);
  runtime.bus = bus;
  disposers.add(() => bus.close());

  const pipeline = createPipeline(strapi, runtime.config);
  runtime.pipeline = pipeline;
  disposers.add(() => pipeline.dispose());

  disposers.add(
    bus.subscribe((message) => {
      for (const listener of runtime.listeners) listener(message);
    }),
  );

  disposers.add(
    startDocumentCapture({
      strapi,
      settings: runtime.settings,
      publish: (message) => bus.publish(message),
      onCaptured: () => pipeline.stats.eventsCaptured++,
    }),
  );
};
