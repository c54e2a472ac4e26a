// The ceiling: a plain ws server writing one pre-serialized string to every socket.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { serveBench } from './server-control.mjs';
import { articleEntry, publicView } from './payload.mjs';

const server = createServer();
const wss = new WebSocketServer({ server, path: '/raw', perMessageDeflate: false });
server.listen(0, '127.0.0.1', () =>
  serveBench({
    port: server.address().port,
    path: '/raw',
    publish() {
      const frame = `{"id":"1","type":"next","payload":${JSON.stringify({ data: { articleCreated: publicView(articleEntry()) } })}}`;
      for (const socket of wss.clients) socket.send(frame);
    },
    stats: () => [{ sockets: wss.clients.size }],
  }),
);
