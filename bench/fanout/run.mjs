// bench/fanout: this project's graphql-ws transport vs a naive graphql-ws server vs a raw ws broadcast, in one
// run, with subscribers in separate processes. Prints a table; writes the figures to bench/.out/.
//
//   node bench/fanout/run.mjs [--subscribers 1000,5000] [--servers realtime,naive,raw] [--burst 60] [--seconds 8] [--repeat 3]
//
// Each (server, subscribers) pair runs --repeat times, interleaved, and the table shows medians with ranges:
// on a 2-core machine the servers and the subscriber processes share the CPU, so single runs are noisy.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { arg, helpIfAsked } from '../lib/args.mjs';
import { ask, once } from '../lib/ipc.mjs';
import { percentile, median } from '../lib/stats.mjs';
import { sleep, startNode, stop, tempDir } from '../lib/processes.mjs';

helpIfAsked(import.meta.url);
const SUBSCRIBER_COUNTS = arg('subscribers', '1000,5000').split(',').map(Number);
const SERVERS = arg('servers', 'realtime,naive,raw').split(',');
const BURST_EVENTS = Number(arg('burst', '60'));
const REPEAT = Number(arg('repeat', '3'));
const RATE = 10;
const RATE_SECONDS = Number(arg('seconds', '8'));
const CLIENT_PROCESSES = 2;
const here = import.meta.dirname;

const runOne = async (kind, subscribers) => {
  const env = { ...process.env, BENCH_DB_DIR: tempDir() };
  const server = startNode(join(here, `server-${kind}.mjs`), [], { env, execArgv: ['--expose-gc', ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []), ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=bench/.out/profiles'] : [])], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const { port, path } = await once(server, (m) => m.ready);
  const before = (await ask(server, 'memory')).memory;

  const url = `ws://127.0.0.1:${port}${path}`;
  const clients = [];
  for (let i = 0; i < CLIENT_PROCESSES; i++) {
    const connections = Math.floor(subscribers / CLIENT_PROCESSES) + (i < subscribers % CLIENT_PROCESSES ? 1 : 0);
    const client = startNode(join(here, 'client.mjs'), [JSON.stringify({ url, connections, protocol: kind === 'raw' ? 'raw' : 'graphql' })]);
    clients.push({ client, subscribed: once(client, (m) => m.subscribed !== undefined) });
  }
  await Promise.all(clients.map((c) => c.subscribed));
  await sleep(1500);
  const after = (await ask(server, 'memory')).memory;

  const totals = async () => (await Promise.all(clients.map(({ client }) => ask(client, 'report')))).reduce((sum, r) => sum + r.received, 0);
  const waitForTotal = async (expected, timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const total = await totals();
      if (total >= expected || Date.now() > deadline) return total;
      await sleep(20);
    }
  };

  // Throughput: a burst of events, as fast as the server takes them, until every subscriber has them all.
  for (const { client } of clients) client.send({ cmd: 'reset', latencies: false });
  const started = performance.now();
  server.send({ cmd: 'burst', events: BURST_EVENTS });
  const delivered = await waitForTotal(subscribers * BURST_EVENTS, 120_000);
  const seconds = (performance.now() - started) / 1000;

  // Latency: a steady 10 events/s; event-to-client time measured with the publish timestamp in the payload.
  await sleep(1000);
  for (const { client } of clients) client.send({ cmd: 'reset', latencies: true });
  server.send({ cmd: 'rate', perSecond: RATE, events: RATE * RATE_SECONDS });
  await once(server, (m) => m.reply === 'rate');
  const expectedSteady = subscribers * RATE * RATE_SECONDS;
  const steadyDelivered = await waitForTotal(expectedSteady, 30_000);
  const reports = await Promise.all(clients.map(({ client }) => ask(client, 'report')));
  const latencies = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const stats = (await ask(server, 'stats')).stats;

  for (const { client } of clients) client.send({ cmd: 'close' });
  await stop(server, process.env.BENCH_PROFILE ? 'SIGINT' : 'SIGKILL');
  await Promise.all(clients.map(({ client }) => stop(client, 'SIGTERM')));

  return {
    server: kind,
    subscribers,
    burstEvents: BURST_EVENTS,
    deliveredInBurst: delivered,
    burstSeconds: Number(seconds.toFixed(2)),
    deliveriesPerSecond: Math.round(delivered / seconds),
    steady: {
      eventsPerSecond: RATE,
      seconds: RATE_SECONDS,
      delivered: steadyDelivered,
      expected: expectedSteady,
      p50ms: percentile(latencies, 50),
      p99ms: percentile(latencies, 99),
      maxMs: latencies.at(-1) ?? NaN,
    },
    memoryPerConnectionBytes: {
      rss: Math.round((after.rss - before.rss) / subscribers),
      heapPlusExternal: Math.round((after.heapUsed + after.external - before.heapUsed - before.external) / subscribers),
    },
    serverStats: stats,
  };
};

const results = [];
for (let round = 1; round <= REPEAT; round++) {
  for (const subscribers of SUBSCRIBER_COUNTS) {
    for (const kind of SERVERS) {
      process.stderr.write(`round ${round}/${REPEAT}: ${kind} with ${subscribers} subscribers...\n`);
      results.push({ round, ...(await runOne(kind, subscribers)) });
    }
  }
}

const summary = [];
for (const subscribers of SUBSCRIBER_COUNTS) {
  for (const kind of SERVERS) {
    const runs = results.filter((r) => r.server === kind && r.subscribers === subscribers);
    const pick = (f) => runs.map(f);
    summary.push({
      server: kind,
      subscribers,
      deliveriesPerSecond: median(pick((r) => r.deliveriesPerSecond)),
      deliveriesRange: [Math.min(...pick((r) => r.deliveriesPerSecond)), Math.max(...pick((r) => r.deliveriesPerSecond))],
      p50ms: median(pick((r) => r.steady.p50ms)),
      p99ms: median(pick((r) => r.steady.p99ms)),
      p99Range: [Math.min(...pick((r) => r.steady.p99ms)), Math.max(...pick((r) => r.steady.p99ms))],
      deliveredShare: Math.min(...pick((r) => r.steady.delivered / r.steady.expected)),
      rssPerConnection: median(pick((r) => r.memoryPerConnectionBytes.rss)),
      heapPerConnection: median(pick((r) => r.memoryPerConnectionBytes.heapPlusExternal)),
    });
  }
}

const byKey = (kind, n) => summary.find((r) => r.server === kind && r.subscribers === n);
console.log(`\nfan-out benchmark: ${cpus().length} CPUs (${cpus()[0]?.model}), node ${process.version}, ${CLIENT_PROCESSES} subscriber processes, burst ${BURST_EVENTS} events, steady ${RATE}/s for ${RATE_SECONDS} s, medians of ${REPEAT} runs [min-max]`);
console.log('server    subscribers  deliveries/s [range]      vs naive  vs raw  steady p50 / p99 ms [p99 range]   memory per connection: heap+external | rss');
for (const r of summary) {
  const naive = byKey('naive', r.subscribers);
  const raw = byKey('raw', r.subscribers);
  const ratio = (other) => (other ? (r.deliveriesPerSecond / other.deliveriesPerSecond).toFixed(2) : '-');
  const steady = `${r.p50ms} / ${r.p99ms} [${r.p99Range.join('-')}]${r.deliveredShare < 1 ? ` (${(100 * r.deliveredShare).toFixed(1)}% delivered)` : ''}`;
  console.log(
    `${r.server.padEnd(9)} ${String(r.subscribers).padStart(11)}  ${`${r.deliveriesPerSecond} [${r.deliveriesRange.join('-')}]`.padEnd(24)}  ${ratio(naive).padStart(8)}  ${ratio(raw).padStart(6)}  ${steady.padEnd(34)} ${String(r.heapPerConnection).padStart(6)} B | ${r.rssPerConnection} B`,
  );
}
const out = join(here, '..', '.out');
mkdirSync(out, { recursive: true });
const file = join(out, `fanout-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ summary, runs: results }, null, 2));
console.log(`\nall runs: ${file}`);
