// Subscribers that remember the cursor of the last event they got, drop together (a deploy) and come back together
// with their cursor. graphql-transport-ws spoken by hand, so the client side costs little.
import WebSocket from 'ws';
import { serve } from '../lib/ipc.mjs';

const { url, connections } = JSON.parse(process.argv[2]);
const QUERY = 'subscription { articleCreated { documentId title } }';
const CURSOR = /"cursor":"([^"]+)"/;
const state = Array.from({ length: connections }, () => ({ socket: null, cursor: null, received: 0 }));
let subscribed = 0;

const open = (index) =>
  new Promise((resolve, reject) => {
    const entry = state[index];
    const socket = new WebSocket(url, 'graphql-transport-ws');
    entry.socket = socket;
    socket.on('error', reject);
    socket.on('open', () => socket.send('{"type":"connection_init","payload":{}}'));
    socket.on('message', (data) => {
      const text = data.toString();
      if (text.includes('"connection_ack"')) {
        const extensions = entry.cursor ? { cursor: entry.cursor } : {};
        socket.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: QUERY, extensions } }));
        subscribed++;
        return resolve();
      }
      const cursor = CURSOR.exec(text);
      if (cursor) entry.cursor = cursor[1];
      entry.received++;
    });
  });

const openAll = async (batch) => {
  for (let i = 0; i < connections; i += batch) await Promise.all(Array.from({ length: Math.min(batch, connections - i) }, (_, j) => open(i + j)));
};

await openAll(100);
process.send({ subscribed });
serve({
  count: () => ({ received: state.reduce((sum, s) => sum + s.received, 0) }),
  drop() {
    for (const entry of state) entry.socket.terminate();
    return {};
  },
  // All at once, as after a deploy: no batching.
  async reconnect() {
    await openAll(connections);
    return {};
  },
  close() {
    for (const entry of state) entry.socket?.terminate();
    process.exit(0);
  },
});
