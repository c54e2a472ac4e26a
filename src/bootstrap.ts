import type { Core } from '@strapi/strapi';
import { runtimeOf } from './runtime';
import type { RealtimeContext } from './context';
import type { EventLog } from './bus/event-log';
import { createMemoryLog } from './bus/memory-log';
import { createRedisStreamLog } from './bus/redis-stream-log';
import { createPipeline } from './pipeline/pipeline';
import { startDocumentCapture } from './capture/document-capture';
import { createObservability } from './observability/observability';
import { createTracer, tracingRequested } from './observability/trace';
import { registerAdminPermissions } from './admin-api/permissions';
import { startMetrics } from './metrics/start-metrics';
import { createStrapiAdapter } from './strapi/strapi-adapter';
import { createUpgradeRouter } from './transports/upgrade-router';
import { createConnectionLimiter } from './transports/connection-limiter';
import { startGraphqlTransport } from './transports/graphql';
import { startSocketIoTransport } from './transports/socket-io';
import type { RunningTransport } from './transports/transport';
import { createDeliverySlices } from './delivery/delivery-slices';
import { createBacklogBudget } from './delivery/backlog-budget';

/**
 * The composition root: builds the context (event log, pipeline, monitor, upgrade router, limiter) once, starts
 * capture and the transports from it, and registers each disposer for `destroy` (reverse order).
 */
export const bootstrap = async ({ strapi: app }: { strapi: Core.Strapi }) => {
  const runtime = runtimeOf(app);
  const { disposers, config, settings, changeListeners } = runtime;
  const strapi = createStrapiAdapter(app);
  const { log } = strapi;

  const eventLog: EventLog =
    config.bus.kind === 'redis'
      ? await createRedisStreamLog({
          url: config.bus.url,
          stream: config.bus.stream,
          maxEvents: config.replay.maxEvents,
          maxAgeMs: config.replay.maxAgeMs,
          bufferSize: config.bus.bufferSize,
          onError: (message, error) => log.error(message, error),
          onRecovered: (message) => log.info(message),
        })
      : createMemoryLog({
          maxEvents: config.replay.maxEvents,
          maxAgeMs: config.replay.maxAgeMs,
          onListenerError: (error) => log.error('an event log listener failed', error),
        });
  disposers.add(() => eventLog.close());

  const pipeline = createPipeline(strapi, config);
  disposers.add(() => pipeline.dispose());

  const upgrades = createUpgradeRouter(strapi.httpServer);
  disposers.add(() => upgrades.stop());

  const backlog = createBacklogBudget({ maxBytes: config.delivery.maxBufferedBytes });
  disposers.add(() => backlog.stop());

  const monitor = createObservability({ eventLogSize: config.eventLogSize });
  const trace = createTracer({ enabled: tracingRequested(process.env), log });
  const context: RealtimeContext = {
    strapi,
    log,
    config,
    settings,
    pipeline,
    eventLog,
    async publish(message) {
      const reduced = await pipeline.reduceForLog(message);
      if (reduced) eventLog.append(reduced);
      else monitor.error('sanitize');
      if (trace.enabled) {
        const subject = message.type === 'change' ? message.event : message.emit;
        trace.step(subject.id, reduced ? 'appended to the event log' : 'dropped: could not be reduced for the log', subject.uid);
      }
    },
    monitor,
    upgrades,
    limiter: createConnectionLimiter(config.limits),
    slices: createDeliverySlices({ sliceMs: config.delivery.sliceMs }),
    backlog,
    trace,
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

  // Live delivery: every record of the log, in order, to every transport (each keeps per-subscriber order).
  disposers.add(
    eventLog.subscribe((record) => {
      if (trace.enabled) {
        const subject = record.kind === 'message' ? (record.message.type === 'change' ? record.message.event.id : record.message.emit.id) : record.kind;
        trace.step(subject, `read from the log at ${record.id}`, record.kind === 'gap' ? `(gap: ${record.reason})` : undefined);
      }
      if (record.kind === 'message') {
        monitor.received(record.message);
        for (const listener of changeListeners) listener(record.message);
      }
      for (const transport of transports) transport.deliver(record);
    }),
  );

  disposers.add(
    startDocumentCapture({
      strapi,
      settings,
      publish: context.publish,
      pace: () => context.slices.pace(),
      onCaptured: (event) => {
        pipeline.stats.eventsCaptured++;
        monitor.captured(event);
        if (trace.enabled) trace.step(event.id, 'captured', `${event.uid} ${event.action} ${event.documentId} (${event.status}${event.locale ? `, ${event.locale}` : ''})`);
      },
    }),
  );

  // What operators use beside the transports: the admin permission behind the Realtime page, and metrics.
  await registerAdminPermissions(strapi);
  startMetrics(strapi, runtime);
};
