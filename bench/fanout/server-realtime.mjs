// This project's transport, for real: the example Strapi app with the plugin (pipeline, hub, graphql-ws server).
// Events are appended to the plugin's event log exactly as captured changes are (`context.publish`); everything
// after that is the production path.
import { serveBench } from './server-control.mjs';
import { articleEntry } from './payload.mjs';
import { bootExample, grantPublicRead, portOf, startedRuntime } from '../lib/example-app.mjs';

const strapi = await bootExample({
  dbDir: process.env.BENCH_DB_DIR,
  realtimeConfig: {
    socket: { enabled: false },
    graphql: { maxBufferedBytes: 64 * 1024 * 1024, keepAliveMs: Number(process.env.BENCH_KEEPALIVE_MS ?? 12000) },
    // Every subscriber comes from 127.0.0.1: the per-address default (1,000) would refuse most of them.
    limits: { maxConnections: 100_000, maxConnectionsPerAddress: 100_000 },
  },
});
await grantPublicRead(strapi);
const { context } = startedRuntime(strapi);

serveBench({
  port: portOf(strapi),
  path: '/graphql',
  publish() {
    const entry = articleEntry();
    const event = {
      id: `bench-${entry.id}`,
      uid: 'api::article.article',
      action: 'created',
      documentId: entry.documentId,
      locale: null,
      status: 'published',
      entry,
      at: new Date().toISOString(),
    };
    return context.publish({ type: 'change', event });
  },
  stats: () => strapi.plugin('realtime').service('realtime').getTransportStats(),
});
