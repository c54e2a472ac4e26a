// bench/reconnect (issue 10): the cost of reliable delivery.
//  1. A deploy: N subscribers drop together, M events are written meanwhile, all reconnect at once with their cursor.
//     Time until every one has replayed the M events and received a live one, the server's peak RSS, and REST
//     latency (GET /api/articles) meanwhile.
//  2. The event log's cost on live delivery: a burst to N subscribers, deliveries/s with replay on and off, one run.
//
//   node bench/reconnect/run.mjs [--clients 1000] [--missed 200] [--burst 60] [--repeat 3]
import { join } from 'node:path';
import { arg, helpIfAsked } from '../lib/args.mjs';
import { ask, once } from '../lib/ipc.mjs';
import { percentile } from '../lib/stats.mjs';
import { sleep, startNode, stop as stopProcess, tempDir } from '../lib/processes.mjs';

helpIfAsked(import.meta.url);
const CLIENTS = Number(arg('clients', '1000'));
const MISSED = Number(arg('missed', '200'));
const BURST = Number(arg('burst', '60'));
const REPEAT = Number(arg('repeat', '3'));
const CLIENT_PROCESSES = 2;
const here = import.meta.dirname;
const median = (values) => percentile(values, 50);

const start = async (replay) => {
  const server = startNode(join(here, 'server.mjs'), [], { env: { ...process.env, REPLAY: replay, BENCH_DB_DIR: tempDir() }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const { port } = await once(server, (m) => m.ready);
  const clients = [];
  for (let i = 0; i < CLIENT_PROCESSES; i++) {
    const connections = Math.floor(CLIENTS / CLIENT_PROCESSES) + (i < CLIENTS % CLIENT_PROCESSES ? 1 : 0);
    const client = startNode(join(here, 'clients.mjs'), [JSON.stringify({ url: `ws://127.0.0.1:${port}/graphql`, connections })]);
    clients.push(client);
    await once(client, (m) => m.subscribed !== undefined);
  }
  const received = async () => (await Promise.all(clients.map((c) => ask(c, 'count')))).reduce((sum, m) => sum + m.received, 0);
  const waitReceived = async (total, timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    while ((await received()) < total) {
      if (Date.now() > deadline) throw new Error(`timed out: ${await received()} of ${total} deliveries`);
      await sleep(20);
    }
  };
  const stop = async () => {
    for (const client of clients) client.send({ cmd: 'close' });
    await Promise.all([stopProcess(server), ...clients.map((client) => stopProcess(client, 'SIGTERM'))]);
  };
  return { server, clients, port, received, waitReceived, stop };
};

const deploy = async () => {
  const run = await start('on');
  await ask(run.server, 'publish', { events: 1 });
  await run.waitReceived(CLIENTS);
  await Promise.all(run.clients.map((c) => ask(c, 'drop')));
  await ask(run.server, 'publish', { events: MISSED });
  await sleep(500);

  let peakRss = (await ask(run.server, 'memory')).rss;
  const rssBefore = peakRss;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peakRss = Math.max(peakRss, (await ask(run.server, 'memory')).rss);
      await sleep(100);
    }
  })();
  const restLatencies = [];
  const rest = (async () => {
    while (sampling) {
      const started = performance.now();
      await fetch(`http://127.0.0.1:${run.port}/api/articles?pagination[pageSize]=5`).then((r) => r.text());
      restLatencies.push(performance.now() - started);
      await sleep(20);
    }
  })();

  const started = performance.now();
  await Promise.all(run.clients.map((c) => ask(c, 'reconnect')));
  const reconnectedMs = performance.now() - started;
  await run.waitReceived(CLIENTS * (1 + MISSED));
  const replayedMs = performance.now() - started;
  await ask(run.server, 'publish', { events: 1 });
  await run.waitReceived(CLIENTS * (2 + MISSED));
  const liveMs = performance.now() - started;
  sampling = false;
  await Promise.all([sampler, rest]);
  await run.stop();
  return { reconnectedMs, replayedMs, liveMs, rssBeforeMb: rssBefore / 2 ** 20, peakRssMb: peakRss / 2 ** 20, restP50: percentile(restLatencies, 50), restP99: percentile(restLatencies, 99), restSamples: restLatencies.length };
};

const burst = async (replay) => {
  const run = await start(replay);
  await ask(run.server, 'publish', { events: 1 });
  await run.waitReceived(CLIENTS);
  const started = performance.now();
  await ask(run.server, 'publish', { events: BURST });
  await run.waitReceived(CLIENTS * (1 + BURST));
  const seconds = (performance.now() - started) / 1000;
  await run.stop();
  return (CLIENTS * BURST) / seconds;
};

const deploys = [];
const withLog = [];
const withoutLog = [];
for (let i = 0; i < REPEAT; i++) {
  deploys.push(await deploy());
  withLog.push(await burst('on'));
  withoutLog.push(await burst('off'));
}

const range = (values, digits = 0) => `${median(values).toFixed(digits)} [${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}]`;
console.log(`\nDeploy: ${CLIENTS} subscribers drop, ${MISSED} events are written, all reconnect at once (median [min-max] of ${REPEAT})`);
console.log('| reconnected ms | replayed ms | live again ms | server RSS before / peak MB | REST p50 / p99 ms meanwhile |');
console.log('|---|---|---|---|---|');
console.log(
  `| ${range(deploys.map((d) => d.reconnectedMs))} | ${range(deploys.map((d) => d.replayedMs))} | ${range(deploys.map((d) => d.liveMs))} | ${range(deploys.map((d) => d.rssBeforeMb))} / ${range(deploys.map((d) => d.peakRssMb))} | ${range(deploys.map((d) => d.restP50), 1)} / ${range(deploys.map((d) => d.restP99), 1)} |`,
);
console.log(`\nLive delivery: a burst of ${BURST} events to ${CLIENTS} subscribers, deliveries/s (median [min-max] of ${REPEAT})`);
console.log('| replay on (event log) | replay off | on / off |');
console.log('|---|---|---|');
console.log(`| ${range(withLog)} | ${range(withoutLog)} | ${(median(withLog) / median(withoutLog)).toFixed(2)} |`);
process.exit(0);
