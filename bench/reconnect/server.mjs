// The example app with the plugin, driven over IPC by run.mjs: publishes events the way captured changes are
// published (reduced, appended to the event log), and reports memory. REPLAY=off runs it without the log's replay.
import { serve } from '../lib/ipc.mjs';
import { bootExample, portOf, startedRuntime } from '../lib/example-app.mjs';

const replay = process.env.REPLAY === 'off' ? false : { maxEvents: 1000, maxAgeMs: 600_000 };
const strapi = await bootExample({
  dbDir: process.env.BENCH_DB_DIR,
  seed: true,
  realtimeConfig: { socket: { enabled: false }, replay, limits: { maxConnections: 100_000, maxConnectionsPerAddress: 100_000 }, graphql: { maxBufferedBytes: 64 * 1024 * 1024 } },
});
const { context } = startedRuntime(strapi);

let sequence = 0;
const publish = () => {
  const n = sequence++;
  return context.publish({
    type: 'change',
    event: {
      id: `bench-${n}`,
      uid: 'api::article.article',
      action: 'created',
      documentId: `bench${n}`,
      locale: null,
      status: 'published',
      entry: { id: n, documentId: `bench${n}`, title: `Article ${n}`, summary: 'x'.repeat(300), publishedAt: new Date().toISOString() },
      at: new Date().toISOString(),
    },
  });
};

serve({
  memory() {
    const { rss, heapUsed } = process.memoryUsage();
    return { rss, heapUsed };
  },
  async publish({ events }) {
    for (let i = 0; i < events; i++) {
      await publish();
      if (i % 20 === 19) await new Promise((done) => setImmediate(done));
    }
    return {};
  },
});
process.send({ ready: true, port: portOf(strapi) });
