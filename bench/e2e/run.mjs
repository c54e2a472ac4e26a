// bench/e2e (issue 11): the end-to-end saturation benchmark. REST creates -> the real example app -> N light
// subscribers per transport in separate processes; the server pinned to one core, subscribers and writer to the
// others (taskset). Per phase: delivered/expected, duplicates, latency write -> client, REST latency meanwhile,
// server and subscriber CPU, RSS per connection, peak RSS. Then a burst: 500 publishes to 5,000 subscribers.
//
//   node bench/e2e/run.mjs [--subscribers 1000,3000,10000] [--rates 2,10] [--phase-seconds 20]
//     [--transports graphql-ws,socket.io] [--burst 500] [--burst-subscribers 5000] [--burst-mode rest|bulk] [--burst-concurrency 1]
//     [--checkout <dir>] [--compare <dir>] [--per-process 2500] [--probe-rate 20] [--straggler-seconds 30] [--no-pin]
//     [--database sqlite|postgres] [--config '<JSON>']
//
// --config: plugin options merged over the bench's own (`{"delivery":{"sliceMs":5}}`), for every server.
// --checkout: the checkout whose built plugin (dist/) and example app are measured (default: this repository);
// --compare: a second checkout (the baseline), measured in the same run, session by session in turn.
// --subscribers '': the burst only; --burst 0: no burst. --burst-mode bulk: one admin bulk publish instead of REST.
// --database postgres: a fresh PostgreSQL database per server (createdb/dropdb; DATABASE_HOST, DATABASE_PORT,
// DATABASE_USERNAME as the example reads them, default 127.0.0.1:5432 postgres) instead of a fresh SQLite file;
// the burst then sends 8 publishes at a time (SQLite: 1, its single connection serializes them anyway).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { arg, flag, helpIfAsked, numbers } from '../lib/args.mjs';
import { ask, once } from '../lib/ipc.mjs';
import { mergeSparse, percentile, sparsePercentile } from '../lib/stats.mjs';
import { cpuPlan, onCleanup, pinSelf, sleep, startNode, stop, tempDir } from '../lib/processes.mjs';
import { REPOSITORY } from '../lib/example-app.mjs';

helpIfAsked(import.meta.url);

const SUBSCRIBERS = numbers('subscribers', '1000,3000,10000');
const RATES = numbers('rates', '2,10');
const PHASE_SECONDS = Number(arg('phase-seconds', '20'));
const TRANSPORTS = arg('transports', 'graphql-ws,socket.io').split(',');
const BURST = Number(arg('burst', '500'));
const BURST_SUBSCRIBERS = Number(arg('burst-subscribers', '5000'));
const BURST_MODE = arg('burst-mode', 'rest');

const PER_PROCESS = Number(arg('per-process', '2500'));
const PROBE_RATE = Number(arg('probe-rate', '20'));
const STRAGGLER_MS = Number(arg('straggler-seconds', '30')) * 1000;
const CHECKOUTS = [arg('checkout', REPOSITORY), arg('compare', null)].filter(Boolean).map((dir) => resolve(dir));
const DATABASE = arg('database', 'sqlite');
const CONFIG = JSON.parse(arg('config', '{}'));
// SQLite has one connection (knex pool max 1): more publishes in flight only queue there, and every REST request
// waits behind them (measured: same publish rate, REST GET p99 ~8x higher with 8 in flight than with 1).
const BURST_CONCURRENCY = Number(arg('burst-concurrency', DATABASE === 'postgres' ? '8' : '1'));
const PLAN = flag('no-pin') ? null : cpuPlan();
const here = import.meta.dirname;

for (const transport of TRANSPORTS) if (!['graphql-ws', 'socket.io'].includes(transport)) throw new Error(`unknown transport ${transport}`);
if (!['sqlite', 'postgres'].includes(DATABASE)) throw new Error(`--database is sqlite or postgres, not ${DATABASE}`);
if (!['rest', 'bulk'].includes(BURST_MODE)) throw new Error(`--burst-mode is rest or bulk, not ${BURST_MODE}`);

/** GC pauses of a phase in one line: count, total and longest per kind. */
const gcSummary = (gcPauses) =>
  `GC ${Object.entries(gcPauses ?? {}).map(([kind, { count, totalMs, maxMs }]) => `${kind} ${count}x ${totalMs.toFixed(0)} ms (max ${maxMs.toFixed(0)})`).join(', ') || 'none'}`;

const git = (dir, ...args) => {
  try {
    return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
};
const checkouts = CHECKOUTS.map((dir, index) => {
  const dist = join(dir, 'dist/server/index.js');
  if (!existsSync(dist)) throw new Error(`${dir}: no dist/server/index.js (run npm run build there)`);
  if (!existsSync(join(dir, 'example/config/plugins.js'))) throw new Error(`${dir}: no example app`);
  const dirty = git(dir, 'status', '--porcelain', '--', 'src').split('\n').filter(Boolean).length;
  return {
    dir,
    label: CHECKOUTS.length > 1 && basename(dir) === basename(CHECKOUTS[1 - index]) ? `${basename(dir)}#${index + 1}` : basename(dir),
    commit: `${git(dir, 'rev-parse', '--short', 'HEAD') || '?'}${dirty ? ` + ${dirty} changed file(s) in src/` : ''}`,
    distBuiltAt: statSync(dist).mtime.toISOString(),
  };
});

// Rough, from small runs on a busy 2-core VM: boot 15 s, about 300 connections/s, settling, each phase and its
// drain, stopping; drafts 30 ms each and REST publishes 80 ms each. Phases with missing deliveries wait longer.
const sessionSeconds = (n, rates) => 15 + n / 300 + 5 + rates.length * (PHASE_SECONDS + 4);
const estimate =
  checkouts.length *
  TRANSPORTS.length *
  (SUBSCRIBERS.reduce((sum, n) => sum + sessionSeconds(n, RATES), 0) + (BURST > 0 ? sessionSeconds(BURST_SUBSCRIBERS, []) + BURST * 0.11 + 5 : 0));
const worstCase = estimate + (checkouts.length * TRANSPORTS.length * (SUBSCRIBERS.length * RATES.length + (BURST > 0 ? 1 : 0)) * STRAGGLER_MS) / 1000;

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const outDir = join(here, '..', '.out');
const logDir = join(outDir, `e2e-${stamp}`);
mkdirSync(logDir, { recursive: true });

console.log(`bench/e2e: ${availableParallelism()} CPUs (${cpus()[0]?.model}), ${Math.round(totalmem() / 2 ** 30)} GB, node ${process.version}`);
console.log(`database: ${DATABASE === 'postgres' ? 'PostgreSQL, a fresh database per server (not pinned)' : 'SQLite, a fresh file per server'}`);
if (Object.keys(CONFIG).length > 0) console.log(`plugin config: ${JSON.stringify(CONFIG)}`);
console.log(PLAN ? `pinned: server on CPU ${PLAN.server}, subscribers, writer and this runner on CPU ${PLAN.clients}` : 'not pinned (one CPU, no taskset, or --no-pin)');
for (const c of checkouts) console.log(`checkout ${c.label}: ${c.dir} (${c.commit}; dist built ${c.distBuiltAt})`);
console.log(
  `phases: ${TRANSPORTS.join(' and ')} x subscribers ${SUBSCRIBERS.join(', ')} x ${RATES.join(', ')} creates/s for ${PHASE_SECONDS} s` +
    (BURST > 0 ? `; burst of ${BURST} (${BURST_MODE === 'bulk' ? 'one admin bulk publish' : `REST publishes, ${BURST_CONCURRENCY} in flight`}) to ${BURST_SUBSCRIBERS} subscribers` : ''),
);
console.log(`estimated duration: about ${Math.ceil(estimate / 60)} min (up to ${Math.ceil(worstCase / 60)} min if every phase waits for missing deliveries); server logs in ${logDir}\n`);
pinSelf(PLAN?.clients);

let nextSeq = 1;
const allocate = (count) => {
  const first = nextSeq;
  nextSeq += count;
  return first;
};

const writer = startNode(join(here, 'writer.mjs'), [], { cpus: PLAN?.clients });
await once(writer, (m) => m.ready, 30_000, 'the writer');

const pgArgs = () => ['-h', process.env.DATABASE_HOST ?? '127.0.0.1', '-p', process.env.DATABASE_PORT ?? '5432', '-U', process.env.DATABASE_USERNAME ?? 'postgres'];
let databases = 0;
/** A fresh PostgreSQL database, dropped after its session (or at exit); null with SQLite. */
const freshPostgres = () => {
  if (DATABASE !== 'postgres') return null;
  const name = `bench_e2e_${process.pid}_${++databases}`;
  execFileSync('createdb', [...pgArgs(), name], { stdio: 'inherit' });
  const drop = () => execFileSync('dropdb', [...pgArgs(), '--if-exists', '--force', name], { stdio: 'ignore' });
  onCleanup(drop);
  return { name, drop };
};

/** One server process: boots the checkout's example app on a fresh database. */
const startServer = async (checkout, name) => {
  const dbDir = tempDir('bench-e2e-');
  const postgres = freshPostgres();
  const logFile = join(logDir, `${checkout.label}-${name}.log`);
  const log = openSync(logFile, 'a');
  const server = startNode(join(here, 'server.mjs'), [JSON.stringify({ checkout: checkout.dir, dbDir, postgresDatabase: postgres?.name, config: CONFIG })], {
    cpus: PLAN?.server,
    env: { ...process.env, BENCH_STALLS_FILE: join(logDir, `${checkout.label}-${name}.stalls.jsonl`) },
    // BENCH_PROFILE=1: a CPU profile of each server, written when it stops (SIGINT: Strapi exits cleanly), and its
    // event loop stalls (bench/e2e/stalls.mjs reads both).
    execArgv: ['--expose-gc', ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${logDir}`] : [])],
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  const ready = await once(server, (m) => m.ready, 180_000, 'the server to boot');
  return {
    server,
    port: ready.port,
    token: ready.token,
    baseUrl: `http://127.0.0.1:${ready.port}`,
    logFile,
    async stop() {
      await stop(server, process.env.BENCH_PROFILE ? 'SIGINT' : 'SIGKILL', 30_000);
      rmSync(dbDir, { recursive: true, force: true });
      postgres?.drop();
      const lines = readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
      return { errors: lines.filter((l) => /\berror\b/i.test(l)).length, warnings: lines.filter((l) => /\bwarn/i.test(l)).length, lines: lines.length };
    },
  };
};

/** `total` subscribers in processes of PER_PROCESS; resolves when every process has opened its connections. */
const startSubscribers = async (port, transport, total, event) => {
  const processes = [];
  for (let left = total; left > 0; left -= PER_PROCESS) {
    const connections = Math.min(PER_PROCESS, left);
    processes.push(startNode(join(here, 'subscribers.mjs'), [JSON.stringify({ port, transport, connections, event })], { cpus: PLAN?.clients }));
  }
  const started = performance.now();
  const ready = await Promise.all(processes.map((child) => once(child, (m) => m.ready, 120_000 + total * 20, 'its subscribers to connect')));
  const connected = ready.reduce((sum, r) => sum + r.connected, 0);
  const failed = ready.reduce((sum, r) => sum + r.failed, 0);
  return { processes, connected, failed, connectSeconds: (performance.now() - started) / 1000 };
};

/** Waits until the server counts `expected` subscribers on the transport (graphql-ws has no subscribe ack). */
const waitSubscribed = async (server, transport, expected) => {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { stats } = await ask(server, 'stats', {}, 30_000);
    const row = stats.find((s) => s.transport === transport);
    const count = row ? (transport === 'graphql-ws' ? row.subscriptions : row.connections) : 0;
    if (count >= expected) return count;
    if (Date.now() > deadline) {
      console.warn(`warning: the server counts ${count} of ${expected} ${transport} subscribers after 60 s; measuring anyway`);
      return count;
    }
    await sleep(250);
  }
};

const counts = (subscribers) => Promise.all(subscribers.processes.map((c) => ask(c, 'count', {}, 30_000)));
const deliveredSoFar = async (subscribers) => (await counts(subscribers)).reduce((sum, r) => sum + r.delivered, 0);
/** CPU time of every subscriber process together, for `cpuPercent` (100 % = one core busy reading). */
const subscribersUsage = async (subscribers) => ({ cpuMicros: (await counts(subscribers)).reduce((sum, r) => sum + r.cpuMicros, 0), at: Date.now() });

/** Polls until `expected` deliveries arrived or `STRAGGLER_MS` passed; returns when that was (Date.now()). */
const waitDeliveries = async (subscribers, expected) => {
  const deadline = Date.now() + STRAGGLER_MS;
  for (;;) {
    const delivered = await deliveredSoFar(subscribers);
    if (delivered >= expected) return { complete: true, at: Date.now() };
    if (Date.now() > deadline) return { complete: false, at: Date.now() };
    await sleep(100);
  }
};

const resetAll = (subscribers, first, count, base, deferred = false) =>
  Promise.all(subscribers.processes.map((c) => ask(c, 'reset', { first, count, base, deferred }, 30_000)));

/** Reports of every subscriber process, merged; `writeTimes`: of each seq, when the titles do not carry them. */
const collect = async (subscribers, writeTimes) => {
  const reports = await Promise.all(subscribers.processes.map((c) => ask(c, 'report', { writeTimes }, 60_000)));
  const sum = (key) => reports.reduce((total, r) => total + r[key], 0);
  const histogram = mergeSparse(reports.map((r) => r.histogram));
  return {
    delivered: sum('delivered'),
    duplicates: sum('duplicates'),
    outOfPhase: sum('outOfPhase'),
    otherMessages: sum('otherMessages'),
    errors: sum('errors'),
    closedConnections: sum('closed'),
    latencyMs: { p50: sparsePercentile(histogram, 50), p99: sparsePercentile(histogram, 99), max: histogram.at(-1)?.[0] ?? NaN },
    histogram,
  };
};

const usage = (server) => ask(server, 'usage', {}, 30_000);
const cpuPercent = (from, to) => Math.round((100 * (to.cpuMicros - from.cpuMicros)) / 1000 / (to.at - from.at));
const restStats = (values) => ({ p50: percentile(values, 50), p99: percentile(values, 99), count: values.length });

/** Connects subscribers and measures the memory they cost the server, idle (after gc). */
const connectIdle = async (app, transport, total, event) => {
  const before = await ask(app.server, 'memory', {}, 60_000);
  const subscribers = await startSubscribers(app.port, transport, total, event);
  await waitSubscribed(app.server, transport, subscribers.connected);
  await sleep(2000);
  const idle = await ask(app.server, 'memory', {}, 60_000);
  return {
    subscribers,
    memory: {
      rssBeforeMb: before.rss / 2 ** 20,
      rssIdleMb: idle.rss / 2 ** 20,
      rssPerConnection: subscribers.connected ? Math.round((idle.rss - before.rss) / subscribers.connected) : NaN,
      // Live JS and buffer memory: steadier than RSS at small N (allocator noise), for reference.
      heapPerConnection: subscribers.connected ? Math.round((idle.heapUsed + idle.external - before.heapUsed - before.external) / subscribers.connected) : NaN,
    },
  };
};

const stopSubscribers = (subscribers) =>
  Promise.all(
    subscribers.processes.map(async (child) => {
      child.send({ cmd: 'close' });
      await stop(child, 'SIGTERM', 5_000);
    }),
  );

/** Steady phases for one (checkout, transport, N): one server, N subscribers, each rate in turn. */
const steadySession = async (checkout, transport, n) => {
  process.stderr.write(`${checkout.label}: ${transport} x ${n}: booting, connecting...\n`);
  const app = await startServer(checkout, `${transport}-${n}`);
  const { subscribers, memory } = await connectIdle(app, transport, n, 'created');
  process.stderr.write(`  ${subscribers.connected} connected in ${subscribers.connectSeconds.toFixed(1)} s (${subscribers.failed} failed), ${memory.rssPerConnection} B RSS each\n`);
  const phases = [];
  for (const rate of RATES) {
    const count = Math.round(rate * PHASE_SECONDS);
    const first = allocate(count);
    await resetAll(subscribers, first, count, Date.now());
    await ask(app.server, 'peak', {}, 30_000);
    const from = await usage(app.server);
    const clientsFrom = await subscribersUsage(subscribers);
    const written = await ask(writer, 'steady', { baseUrl: app.baseUrl, token: app.token, rate, seconds: PHASE_SECONDS, first, probeRate: PROBE_RATE }, PHASE_SECONDS * 1000 + 120_000);
    const expected = written.written * subscribers.connected;
    const waited = await waitDeliveries(subscribers, expected);
    const to = await usage(app.server);
    const clientsTo = await subscribersUsage(subscribers);
    const { peakRss, loopDelayMs, gcPauses } = await ask(app.server, 'peak', {}, 30_000);
    const received = await collect(subscribers);
    phases.push({
      checkout: checkout.label,
      transport,
      subscribers: subscribers.connected,
      requestedSubscribers: n,
      phase: `${rate}/s`,
      rate,
      seconds: PHASE_SECONDS,
      writes: { written: written.written, failed: written.failed, delayed: written.delayed },
      expected,
      ...received,
      allDelivered: waited.complete,
      restPostMs: restStats(written.postMs),
      restGetMs: { ...restStats(written.getMs), failed: written.getFailed },
      serverCpuPercent: cpuPercent(from, to),
      subscribersCpuPercent: cpuPercent(clientsFrom, clientsTo),
      peakRssMb: peakRss / 2 ** 20,
      loopDelayMs,
      gcPauses,
      memory,
    });
    const last = phases.at(-1);
    process.stderr.write(`  ${rate}/s: ${last.delivered}/${expected} delivered, p99 ${last.latencyMs.p99} ms, REST POST p99 ${last.restPostMs.p99?.toFixed(0)} ms, CPU server ${last.serverCpuPercent} % / subscribers ${last.subscribersCpuPercent} %, event loop delay max ${loopDelayMs.max.toFixed(0)} ms, ${gcSummary(gcPauses)}\n`);
  }
  await stopSubscribers(subscribers);
  const log = await app.stop();
  for (const phase of phases) phase.serverLog = { ...log, file: app.logFile };
  return phases;
};

/**
 * The burst: BURST drafts published while BURST_SUBSCRIBERS listen to `articlePublished` / `article:publish`, over
 * REST (`rest`: one request per draft, BURST_CONCURRENCY in flight, as fast as the server answers) or in one admin bulk publish
 * (`bulk`: one transaction; every write time is the start of the call). The probe measures REST meanwhile.
 */
const burstSession = async (checkout, transport) => {
  process.stderr.write(`${checkout.label}: ${transport} burst of ${BURST} to ${BURST_SUBSCRIBERS}: booting, creating drafts, connecting...\n`);
  const app = await startServer(checkout, `${transport}-burst`);
  const first = allocate(BURST);
  const { documentIds } = await ask(app.server, 'drafts', { first, count: BURST }, 600_000);
  const { subscribers, memory } = await connectIdle(app, transport, BURST_SUBSCRIBERS, 'published');
  const base = Date.now();
  await resetAll(subscribers, first, BURST, base, true);
  await ask(app.server, 'peak', {}, 30_000);
  const from = await usage(app.server);
  const clientsFrom = await subscribersUsage(subscribers);
  await ask(writer, 'probeStart', { baseUrl: app.baseUrl, probeRate: PROBE_RATE }, 30_000);
  await sleep(500);
  let burst;
  if (BURST_MODE === 'rest') {
    const sent = await ask(writer, 'publishBurst', { baseUrl: app.baseUrl, token: app.token, documentIds, concurrency: BURST_CONCURRENCY }, 600_000);
    const startedAt = Math.min(...sent.writeTimes.filter(Boolean));
    burst = { ...sent, startedAt, endedAt: startedAt + sent.seconds * 1000 };
  } else {
    const done = await ask(app.server, 'bulkPublish', { documentIds }, 600_000);
    if (done.error) throw new Error(`bulk publish failed on the server: ${done.error}`);
    burst = { ...done, published: Math.min(done.published, BURST), failed: BURST - Math.min(done.published, BURST), writeTimes: documentIds.map(() => done.startedAt), postMs: null };
  }
  const expected = burst.published * subscribers.connected;
  const waited = await waitDeliveries(subscribers, expected);
  await sleep(500);
  const probe = await ask(writer, 'probeStop', {}, 60_000);
  const to = await usage(app.server);
  const clientsTo = await subscribersUsage(subscribers);
  const { peakRss, loopDelayMs, gcPauses } = await ask(app.server, 'peak', {}, 30_000);
  const received = await collect(subscribers, burst.writeTimes);
  await stopSubscribers(subscribers);
  const log = await app.stop();
  const result = {
    checkout: checkout.label,
    transport,
    subscribers: subscribers.connected,
    requestedSubscribers: BURST_SUBSCRIBERS,
    phase: `burst ${BURST}`,
    burstMode: BURST_MODE,
    writes: { written: burst.published, failed: burst.failed },
    publishSeconds: (burst.endedAt - burst.startedAt) / 1000,
    deliveredAfterSeconds: waited.complete ? (waited.at - burst.startedAt) / 1000 : null,
    expected,
    ...received,
    allDelivered: waited.complete,
    restPostMs: burst.postMs ? restStats(burst.postMs) : null,
    restGetMs: { ...restStats(probe.getMs), failed: probe.getFailed },
    serverCpuPercent: cpuPercent(from, to),
    subscribersCpuPercent: cpuPercent(clientsFrom, clientsTo),
    peakRssMb: peakRss / 2 ** 20,
    loopDelayMs,
    gcPauses,
    memory,
    serverLog: { ...log, file: app.logFile },
  };
  process.stderr.write(
    `  ${result.delivered}/${expected} delivered, publishing took ${result.publishSeconds.toFixed(1)} s, p99 ${result.latencyMs.p99} ms, REST GET p99 ${result.restGetMs.p99?.toFixed(0)} ms, CPU server ${result.serverCpuPercent} % / subscribers ${result.subscribersCpuPercent} %, event loop delay max ${loopDelayMs.max.toFixed(0)} ms, ${gcSummary(gcPauses)}\n`,
  );
  return result;
};

const started = Date.now();
const results = [];
// Checkouts take turns session by session, so a slow minute on a shared machine does not land on one of them only.
for (const transport of TRANSPORTS) {
  for (const n of SUBSCRIBERS) for (const checkout of checkouts) results.push(...(await steadySession(checkout, transport, n)));
}
if (BURST > 0) for (const transport of TRANSPORTS) for (const checkout of checkouts) results.push(await burstSession(checkout, transport));
await stop(writer, 'SIGTERM');

const int = (value) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '-');
const pair = (stats) => (stats && stats.count ? `${int(stats.p50)} / ${int(stats.p99)}` : '-');
const deliveredCell = (r) =>
  `${int(r.delivered)} / ${int(r.expected)}${r.allDelivered ? '' : ' **(missing)**'}${r.closedConnections ? ` (${int(r.closedConnections)} connections closed)` : ''}${r.errors ? ` (${int(r.errors)} errors)` : ''}`;
const phaseCell = (r) => (r.burstMode ? `burst ${BURST} ${r.burstMode === 'bulk' ? 'bulk publish' : 'REST publishes'} in ${r.publishSeconds.toFixed(1)} s` : r.phase);

const table = (rows) => {
  const lines = [
    '| transport | subscribers | phase | delivered / expected | dup | latency p50 / p99 / max ms | REST POST p50 / p99 ms | REST GET p50 / p99 ms | server CPU | subscriber CPU | RSS (heap+external) / connection | peak RSS MB |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.transport} | ${int(r.subscribers)} | ${phaseCell(r)} | ${deliveredCell(r)} | ${int(r.duplicates)} | ${int(r.latencyMs.p50)} / ${int(r.latencyMs.p99)} / ${int(r.latencyMs.max)} | ${pair(r.restPostMs)} | ${pair(r.restGetMs)} | ${r.serverCpuPercent} % | ${r.subscribersCpuPercent} % | ${int(r.memory.rssPerConnection)} B (${int(r.memory.heapPerConnection)} B) | ${int(r.peakRssMb)} |`,
    );
  }
  return lines.join('\n');
};

console.log(`\nbench/e2e, ${new Date().toISOString().slice(0, 10)}: ${Math.round((Date.now() - started) / 1000)} s`);
for (const checkout of checkouts) {
  console.log(`\n### ${checkout.label} (${checkout.commit})\n`);
  console.log(table(results.filter((r) => r.checkout === checkout.label)));
}

if (checkouts.length === 2) {
  const [a, b] = checkouts.map((c) => c.label);
  const key = (r) => `${r.transport}|${r.requestedSubscribers}|${r.phase}`;
  const other = new Map(results.filter((r) => r.checkout === b).map((r) => [key(r), r]));
  console.log(`\n### ${a} vs ${b}, side by side (${a} / ${b})\n`);
  console.log('| transport | subscribers | phase | delivered % | latency p99 ms | REST POST p99 ms | REST GET p99 ms | server CPU % | RSS / connection B | peak RSS MB |');
  console.log('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results.filter((x) => x.checkout === a)) {
    const o = other.get(key(r));
    if (!o) continue;
    const share = (x) => (x.expected ? ((100 * (x.delivered - 0)) / x.expected).toFixed(1) : '-');
    const both = (f) => `${f(r)} / ${f(o)}`;
    console.log(
      `| ${r.transport} | ${int(r.requestedSubscribers)} | ${r.phase} | ${both(share)} | ${both((x) => int(x.latencyMs.p99))} | ${both((x) => int(x.restPostMs?.p99))} | ${both((x) => int(x.restGetMs?.p99))} | ${both((x) => x.serverCpuPercent)} | ${both((x) => int(x.memory.rssPerConnection))} | ${both((x) => int(x.peakRssMb))} |`,
    );
  }
}

// The issue's targets, read off the largest steady phase and the burst.
const maxN = Math.max(...SUBSCRIBERS);
const maxRate = Math.max(...RATES);
console.log(`\nTargets (largest steady phase: ${int(maxN)} x ${maxRate}/s; burst ${BURST} to ${int(BURST_SUBSCRIBERS)}):`);
for (const checkout of checkouts) {
  for (const transport of TRANSPORTS) {
    const mine = results.filter((r) => r.checkout === checkout.label && r.transport === transport);
    const steady = mine.find((r) => r.requestedSubscribers === maxN && r.rate === maxRate);
    const burst = mine.find((r) => r.burstMode);
    const restP99 = (r) => Math.max(r.restPostMs?.p99 ?? -Infinity, r.restGetMs?.p99 ?? -Infinity);
    const verdict = (ok) => (ok ? 'met' : '**not met**');
    const parts = [];
    if (steady) {
      parts.push(`REST p99 (POST or GET, the higher) ${int(restP99(steady))} ms (< 200: ${verdict(restP99(steady) < 200)})`);
      parts.push(`delivered ${steady.delivered === steady.expected && !steady.duplicates ? 'all, once' : `${int(steady.delivered)} of ${int(steady.expected)}, ${steady.duplicates} dup`} (${verdict(steady.delivered === steady.expected && !steady.duplicates)})`);
      parts.push(`p99 ${int(steady.latencyMs.p99)} ms (< 1,000: ${verdict(steady.latencyMs.p99 < 1000)})`);
    }
    // The burst's own publish requests queue behind each other; the probe is the REST traffic the target is about.
    if (burst) parts.push(`burst REST GET p99 ${int(burst.restGetMs.p99)} ms (< 200: ${verdict(burst.restGetMs.p99 < 200)}), all delivered: ${verdict(burst.allDelivered && !burst.duplicates)}`);
    const idle = mine.find((r) => r.requestedSubscribers === maxN) ?? mine[0];
    if (idle) parts.push(`RSS per idle connection ${int(idle.memory.rssPerConnection)} B at ${int(idle.subscribers)}`);
    console.log(`- ${checkout.label}, ${transport}: ${parts.join('; ')}`);
  }
}

const logs = new Map(results.map((r) => [r.serverLog.file, r.serverLog]));
for (const [file, log] of logs) if (log.errors || log.warnings) console.log(`server log: ${log.errors} error line(s), ${log.warnings} warning line(s): ${file}`);

const file = join(outDir, `e2e-${stamp}.json`);
writeFileSync(file, JSON.stringify({ options: { DATABASE, SUBSCRIBERS, RATES, PHASE_SECONDS, TRANSPORTS, BURST, BURST_SUBSCRIBERS, BURST_MODE, BURST_CONCURRENCY, PER_PROCESS, PROBE_RATE, pinned: PLAN }, machine: { cpus: availableParallelism(), model: cpus()[0]?.model, node: process.version }, checkouts, results }, null, 2));
console.log(`\nraw figures: ${file}`);
process.exit(0);
