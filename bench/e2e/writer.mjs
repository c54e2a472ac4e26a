// The writer of bench/e2e: REST creates (POST /api/articles with a full-access API token) at a steady rate, each
// titled `e2e <seq> <Date.now() when sent>`, open loop (a slow response does not delay the next write); REST
// publishes of drafts for the burst; and a REST probe (GET /api/articles?pagination[pageSize]=1 as Public) that
// measures what an ordinary visitor waits meanwhile.
import { serve } from '../lib/ipc.mjs';
import { sleep } from '../lib/processes.mjs';

// Long enough to see a stalled server answer late rather than count it as a failure.
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_IN_FLIGHT = 64;

/** One request's latency in ms, or null when it failed (status >= 400, network error, timeout). */
const timedFetch = async (url, init) => {
  const started = performance.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    await response.arrayBuffer();
    return response.ok ? performance.now() - started : null;
  } catch {
    return null;
  }
};

/**
 * Open loop, like the writes: `fn(i)` is started at `rate` per second whatever the earlier ones are doing (a probe
 * that waited for each answer would send one request during a stall and under-count it), at most MAX_IN_FLIGHT
 * at a time. Stops at `count` or when `until()` says so; resolves when the last request is done.
 */
const openLoop = async ({ rate, count = Infinity, until = () => false }, fn) => {
  const interval = 1000 / rate;
  const inFlight = new Set();
  let delayed = 0;
  const started = performance.now();
  for (let i = 0; i < count && !until(); i++) {
    const wait = started + i * interval - performance.now();
    if (wait > 0) await sleep(wait);
    if (until()) break;
    if (inFlight.size >= MAX_IN_FLIGHT) {
      delayed++;
      await Promise.race(inFlight);
    }
    const request = fn(i).finally(() => inFlight.delete(request));
    inFlight.add(request);
  }
  await Promise.all(inFlight);
  return { delayed, seconds: (performance.now() - started) / 1000 };
};

/** GETs as the Public role at `rate` per second until `until()`. */
const probe = async (baseUrl, rate, until) => {
  const latencies = [];
  let failed = 0;
  await openLoop({ rate, until }, async () => {
    const ms = await timedFetch(`${baseUrl}/api/articles?pagination[pageSize]=1`);
    if (ms === null) failed++;
    else latencies.push(ms);
  });
  return { latencies, failed };
};

let probing = null;

serve({
  /** `rate` creates per second for `seconds`, seqs from `first`, with the probe alongside. */
  async steady({ baseUrl, token, rate, seconds, first, probeRate }) {
    const latencies = [];
    let written = 0;
    let failed = 0;
    let writing = true;
    const probed = probe(baseUrl, probeRate, () => !writing);
    const wrote = await openLoop({ rate, count: Math.round(rate * seconds) }, async (i) => {
      const ms = await timedFetch(`${baseUrl}/api/articles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ data: { title: `e2e ${first + i} ${Date.now()}` } }),
      });
      if (ms === null) failed++;
      else {
        latencies.push(ms);
        written++;
      }
    });
    writing = false;
    const probeResult = await probed;
    return { written, failed, delayed: wrote.delayed, postMs: latencies, getMs: probeResult.latencies, getFailed: probeResult.failed, seconds: wrote.seconds };
  },
  /**
   * Publishes drafts over REST (the example's POST /api/articles/:documentId/publish, the Document Service's
   * `publish`) as fast as the server answers, `concurrency` at a time; the write time of each is when it was sent.
   */
  async publishBurst({ baseUrl, token, documentIds, concurrency }) {
    const writeTimes = new Array(documentIds.length).fill(0);
    const latencies = [];
    let failed = 0;
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < documentIds.length) {
        const index = next++;
        writeTimes[index] = Date.now();
        const ms = await timedFetch(`${baseUrl}/api/articles/${documentIds[index]}/publish`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
        if (ms === null) {
          failed++;
          writeTimes[index] = 0;
        } else latencies.push(ms);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { published: latencies.length, failed, writeTimes, postMs: latencies, seconds: (performance.now() - started) / 1000 };
  },
  probeStart({ baseUrl, probeRate }) {
    let running = true;
    probing = { stop: () => (running = false), result: probe(baseUrl, probeRate, () => !running) };
    return {};
  },
  async probeStop() {
    if (!probing) return { getMs: [], getFailed: 0 };
    probing.stop();
    const { latencies, failed } = await probing.result;
    probing = null;
    return { getMs: latencies, getFailed: failed };
  },
});
process.send({ ready: true });
