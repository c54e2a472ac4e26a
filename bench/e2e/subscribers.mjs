// Subscribers of bench/e2e, as light as a client can be so the figures describe the server: plain `ws` speaking
// graphql-transport-ws or engine.io/socket.io v4 by hand, and the article title (`e2e <seq> <write time>`) read
// from the raw bytes without decoding or JSON.parse. Per phase it counts deliveries, duplicates (a seq twice on
// one connection) and latencies (a histogram, merged by the runner).
//
//   node bench/e2e/subscribers.mjs '{"port":1337,"transport":"graphql-ws","connections":2500,"event":"created"}'
import WebSocket from 'ws';
import { serve } from '../lib/ipc.mjs';
import { createHistogram } from '../lib/stats.mjs';

const { port, transport, connections, event } = JSON.parse(process.argv[2]);
const BATCH = 100;
const HANDSHAKE_TIMEOUT_MS = 15_000;

const FIELD = event === 'published' ? 'articlePublished' : 'articleCreated';
const SUBSCRIBE = JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription { ${FIELD} { documentId title } }` } });
// Socket.IO sends every article event to the audience room: only the measured one counts.
const SOCKET_EVENT = Buffer.from(`42["article:${event === 'published' ? 'publish' : 'create'}"`);
const GRAPHQL_NEXT = Buffer.from('"type":"next"');
const TITLE = Buffer.from('"title":"e2e ');

const histogram = createHistogram();
// Per phase and connection, the arrival of each seq in the phase (ms after `base`, + 1; 0: not yet): duplicates are
// a second arrival, and latencies of seqs whose write time the title does not carry are computed at report time.
let phase = { first: 0, count: 0, base: 0, deferred: false };
let arrivals = new Uint32Array(0);
let delivered = 0;
let duplicates = 0;
let outOfPhase = 0;
let otherMessages = 0;
let errors = 0;
let closed = 0;
let connected = 0;
let failed = 0;
const sockets = [];

/** The integer written in ASCII at `at`, and the index after it. */
const readInt = (buffer, at) => {
  let value = 0;
  let i = at;
  for (; i < buffer.length; i++) {
    const digit = buffer[i] - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return [value, i];
};

const onDelivery = (index, buffer, receivedAt) => {
  const at = buffer.indexOf(TITLE);
  if (at < 0) return void otherMessages++;
  const [seq, space] = readInt(buffer, at + TITLE.length);
  const offset = seq - phase.first;
  if (offset < 0 || offset >= phase.count) return void outOfPhase++;
  const slot = index * phase.count + offset;
  if (arrivals[slot]) return void duplicates++;
  arrivals[slot] = Math.max(1, receivedAt - phase.base + 1);
  delivered++;
  // Titles stamped with their write time are measured now; the others (drafts, published later) at report time.
  if (!phase.deferred) histogram.add(receivedAt - readInt(buffer, space + 1)[0]);
};

const startsWith = (buffer, prefix) => buffer.length >= prefix.length && buffer.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;

const openGraphqlWs = (index) =>
  new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws', { handshakeTimeout: HANDSHAKE_TIMEOUT_MS, perMessageDeflate: false });
    sockets.push(socket);
    let acked = false;
    const timer = setTimeout(() => socket.terminate(), HANDSHAKE_TIMEOUT_MS);
    socket.on('open', () => socket.send('{"type":"connection_init","payload":{}}'));
    socket.on('message', (data) => {
      const receivedAt = Date.now();
      if (acked) {
        if (data.indexOf(GRAPHQL_NEXT) >= 0) onDelivery(index, data, receivedAt);
        else if (data.indexOf('"type":"ping"') >= 0) socket.send('{"type":"pong"}');
        else if (data.indexOf('"type":"error"') >= 0 || data.indexOf('"type":"complete"') >= 0) errors++;
        else otherMessages++;
        return;
      }
      if (data.indexOf('"connection_ack"') < 0) return;
      acked = true;
      clearTimeout(timer);
      socket.send(SUBSCRIBE);
      connected++;
      resolve();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      if (acked) closed++;
      else {
        failed++;
        resolve();
      }
    });
  });

const openSocketIo = (index) =>
  new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`, { handshakeTimeout: HANDSHAKE_TIMEOUT_MS, perMessageDeflate: false });
    sockets.push(socket);
    let joined = false;
    const timer = setTimeout(() => socket.terminate(), HANDSHAKE_TIMEOUT_MS);
    socket.on('message', (data) => {
      const receivedAt = Date.now();
      // engine.io ping "2" -> pong "3"; "0{...}" open -> connect to the main namespace with "40".
      if (data.length === 1 && data[0] === 0x32) return socket.send('3');
      if (joined) {
        if (startsWith(data, SOCKET_EVENT)) onDelivery(index, data, receivedAt);
        else if (data[0] === 0x31 || data.indexOf('"error"') >= 0) errors++;
        else otherMessages++;
        return;
      }
      if (data[0] === 0x30) return socket.send('40');
      if (data[0] === 0x34 && data[1] === 0x30) {
        joined = true;
        clearTimeout(timer);
        connected++;
        return resolve();
      }
      // "44{...}": connect_error (refused)
      socket.terminate();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      if (joined) closed++;
      else {
        failed++;
        resolve();
      }
    });
  });

const open = transport === 'socket.io' ? openSocketIo : openGraphqlWs;
const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
const startedAt = performance.now();
// Small batches: thousands of simultaneous handshakes would only measure the accept queue.
for (let i = 0; i < connections; i += BATCH) {
  await Promise.all(Array.from({ length: Math.min(BATCH, connections - i) }, (_, j) => open(i + j)));
}
process.send({ ready: true, connected, failed, seconds: (performance.now() - startedAt) / 1000 });

serve({
  /** A new phase: seqs [first, first + count); `deferred`: write times come with the report, not in titles. */
  reset({ first, count, base, deferred = false }) {
    phase = { first, count, base, deferred };
    arrivals = new Uint32Array(count * connections);
    histogram.reset();
    delivered = duplicates = outOfPhase = otherMessages = errors = 0;
    return {};
  },
  // cpuMicros: this process's CPU time so far, so the runner can tell when the subscribers' core was the limit.
  count: () => ({ delivered, cpuMicros: cpuMicros() }),
  /** `writeTimes`: for a deferred phase, the write time (Date.now()) of each seq of the phase, in order. */
  report({ writeTimes }) {
    if (phase.deferred && writeTimes) {
      histogram.reset();
      for (let slot = 0; slot < arrivals.length; slot++) {
        const writtenAt = writeTimes[slot % phase.count];
        if (arrivals[slot] && writtenAt) histogram.add(phase.base + arrivals[slot] - 1 - writtenAt);
      }
    }
    return { delivered, duplicates, outOfPhase, otherMessages, errors, closed, connected, failed, histogram: histogram.sparse() };
  },
  close() {
    for (const socket of sockets) socket.terminate();
    setImmediate(() => process.exit(0));
    return {};
  },
});
