// The server of bench/e2e: the example app of a checkout (its built plugin, its Strapi), both transports on, the
// Public role may read, writes come over REST with a full-access API token. Answers the runner over IPC: memory
// (after gc), CPU time, peak RSS (sampled every 250 ms), transport stats, and the server-side bursts.
//
//   node --expose-gc bench/e2e/server.mjs '{"checkout":"/work/main","dbDir":"/tmp/x"}'
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { serve } from '../lib/ipc.mjs';
import { bootExample, grantPublicRead, portOf, requireFrom } from '../lib/example-app.mjs';

const { checkout, dbDir, postgresDatabase, realtimeConfig } = JSON.parse(process.argv[2]);
const UID = 'api::article.article';

const strapi = await bootExample({
  checkout,
  dbDir,
  postgresDatabase,
  // Warnings and errors stay visible (the runner keeps them in a log file and counts them).
  logLevel: 'warn',
  realtimeConfig: realtimeConfig ?? {
    // Every subscriber comes from 127.0.0.1: the per-address default (1,000) would refuse most of them.
    limits: { maxConnections: 100_000, maxConnectionsPerAddress: 100_000 },
  },
});
await grantPublicRead(strapi, checkout);
// The writer gets a full-access token, so the Public role keeps read rights only (as in production).
const { accessKey } = await strapi.service('admin::api-token').create({ name: 'bench e2e writer', description: 'bench/e2e', type: 'full-access', lifespan: null });

// How long the event loop was blocked: tells whether slow REST answers waited for JavaScript (ours or Strapi's)
// or for something else (the database, the CPU given to other processes).
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let peakRss = process.memoryUsage.rss();
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 250).unref();

serve({
  memory() {
    globalThis.gc?.();
    globalThis.gc?.();
    const { rss, heapUsed, external } = process.memoryUsage();
    return { rss, heapUsed, external };
  },
  // CPU time (user + system, µs) against wall time (ms): the runner divides the differences.
  usage() {
    const { user, system } = process.cpuUsage();
    return { cpuMicros: user + system, at: performance.now() };
  },
  /** Peak RSS and event loop delay since the last call; the next window starts now. */
  peak() {
    const peak = Math.max(peakRss, process.memoryUsage.rss());
    peakRss = process.memoryUsage.rss();
    const loopDelayMs = { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
    loopDelay.reset();
    return { peakRss: peak, loopDelayMs };
  },
  stats: () => ({ stats: strapi.plugin('realtime').service('realtime').getTransportStats() }),
  /** Drafts titled `e2e <seq> 0` to publish in the burst (their write time is when they are published). */
  async drafts({ first, count }) {
    const documentIds = [];
    for (let i = 0; i < count; i++) {
      const draft = await strapi.documents(UID).create({ data: { title: `e2e ${first + i} 0` } });
      documentIds.push(draft.documentId);
    }
    return { documentIds };
  },
  /** What the admin panel's bulk publish runs after its permission checks: every draft in one transaction. */
  async bulkPublish({ documentIds }) {
    const startedAt = Date.now();
    const published = await strapi.plugin('content-manager').service('document-manager').publishMany(UID, documentIds);
    return { startedAt, endedAt: Date.now(), published };
  },
});

const plugin = requireFrom(checkout).resolve('./dist/server/index.js');
console.log(`[bench/e2e] ${new Date().toISOString()} listening on ${portOf(strapi)}, plugin ${plugin}, pid ${process.pid}`);
process.send({ ready: true, port: portOf(strapi), token: accessKey, plugin });
