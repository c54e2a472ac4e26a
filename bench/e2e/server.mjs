// The server of bench/e2e: the example app of a checkout (its built plugin, its Strapi), both transports on, the
// Public role may read, writes come over REST with a full-access API token. Answers the runner over IPC: memory
// (after gc), CPU time, peak RSS (sampled every 250 ms), transport stats, and the server-side bursts.
//
//   node --expose-gc bench/e2e/server.mjs '{"checkout":"/work/main","dbDir":"/tmp/x","config":{}}'
import { appendFileSync } from 'node:fs';
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import { serve } from '../lib/ipc.mjs';
import { bootExample, grantPublicRead, portOf, requireFrom } from '../lib/example-app.mjs';

const { checkout, dbDir, postgresDatabase, config = {} } = JSON.parse(process.argv[2]);
const UID = 'api::article.article';

const strapi = await bootExample({
  checkout,
  dbDir,
  postgresDatabase,
  // Warnings and errors stay visible (the runner keeps them in a log file and counts them).
  logLevel: 'warn',
  realtimeConfig: {
    ...config,
    // Every subscriber comes from 127.0.0.1: the per-address default (1,000) would refuse most of them.
    limits: { maxConnections: 100_000, maxConnectionsPerAddress: 100_000, ...config.limits },
  },
});
await grantPublicRead(strapi, checkout);
// The writer gets a full-access token, so the Public role keeps read rights only (as in production).
const { accessKey } = await strapi.service('admin::api-token').create({ name: 'bench e2e writer', description: 'bench/e2e', type: 'full-access', lifespan: null });

// How long the event loop was blocked: tells whether slow REST answers waited for JavaScript (ours or Strapi's)
// or for something else (the database, the CPU given to other processes).
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
// Garbage collection pauses (V8 reports each with its kind): tells whether a stall was the collector.
const GC_KINDS = { 1: 'scavenge', 2: 'mark-compact', 4: 'incremental', 8: 'weak-callbacks', 16: 'minor-mark-compact' };
let gc = {};
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = GC_KINDS[entry.detail?.kind] ?? 'other';
    const sample = (gc[kind] ??= { count: 0, totalMs: 0, maxMs: 0 });
    sample.count++;
    sample.totalMs += entry.duration;
    sample.maxMs = Math.max(sample.maxMs, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });
let peakRss = process.memoryUsage.rss();
// BENCH_PROFILE: every event loop stall over 50 ms, on the CPU profile's clock (µs, monotonic), one JSON line each,
// for bench/e2e/stalls.mjs to tell what ran during the stalls.
if (process.env.BENCH_PROFILE && process.env.BENCH_STALLS_FILE) {
  let last = process.hrtime.bigint();
  setInterval(() => {
    const at = process.hrtime.bigint();
    const lateMs = Number(at - last) / 1e6 - 10;
    last = at;
    if (lateMs > 50) appendFileSync(process.env.BENCH_STALLS_FILE, `${JSON.stringify({ endUs: Number(at / 1000n), lateMs })}\n`);
  }, 10).unref();
}
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
  /** Peak RSS, event loop delay and GC pauses since the last call; the next window starts now. */
  peak() {
    const gcPauses = gc;
    gc = {};
    const peak = Math.max(peakRss, process.memoryUsage.rss());
    peakRss = process.memoryUsage.rss();
    const loopDelayMs = { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
    loopDelay.reset();
    return { peakRss: peak, loopDelayMs, gcPauses };
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
