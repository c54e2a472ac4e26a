// Opens many subscriber connections in this process (graphql-transport-ws by hand, or raw ws) and reports
// counts and latencies to the orchestrator. Hand-written so client-side cost is the same for every server.
import WebSocket from 'ws';
import { SUBSCRIPTION } from './payload.mjs';
import { serve } from '../lib/ipc.mjs';

const { url, connections, protocol } = JSON.parse(process.argv[2]);
let received = 0;
let latencies = [];
let subscribed = 0;
const sockets = [];

const sentAtOf = (text) => {
  const at = text.indexOf('"sentAt":');
  return at < 0 ? NaN : Number.parseInt(text.slice(at + 9, at + 25), 10);
};

const onData = (data) => {
  received++;
  if (latencies) {
    const sentAt = sentAtOf(data.toString());
    if (!Number.isNaN(sentAt)) latencies.push(Date.now() - sentAt);
  }
};

const open = (index) =>
  new Promise((resolve, reject) => {
    const socket = protocol === 'raw' ? new WebSocket(url) : new WebSocket(url, 'graphql-transport-ws');
    sockets.push(socket);
    socket.on('error', reject);
    socket.on('open', () => {
      if (protocol === 'raw') {
        subscribed++;
        socket.on('message', onData);
        return resolve();
      }
      socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
      socket.once('message', (ack) => {
        if (!String(ack).includes('connection_ack')) return reject(new Error(`no ack: ${ack}`));
        if (protocol !== 'init') socket.send(JSON.stringify({ id: `s${index}`, type: 'subscribe', payload: { query: SUBSCRIPTION } }));
        subscribed++;
        socket.on('message', onData);
        resolve();
      });
    });
  });

// Open in small batches: thousands of simultaneous handshakes only measure the accept queue.
for (let i = 0; i < connections; i += 100) {
  await Promise.all(Array.from({ length: Math.min(100, connections - i) }, (_, j) => open(i + j)));
}
process.send({ subscribed });

serve({
  reset(message) {
    received = 0;
    latencies = message.latencies ? [] : null;
  },
  report: () => ({ received, latencies: latencies ?? [] }),
  close() {
    for (const socket of sockets) socket.terminate();
    process.exit(0);
  },
});
