// The example app with the plugin, driven over IPC by run.mjs: publishes events the way captured changes are
// published (reduced, appended to the event log), and reports memory. REPLAY=off runs it without the log's replay.
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const exampleDir = resolve(import.meta.dirname, '../../example');
const replay = process.env.REPLAY === 'off' ? false : { maxEvents: 1000, maxAgeMs: 600_000 };
Object.assign(process.env, {
  STRAPI_TELEMETRY_DISABLED: 'true',
  DATABASE_FILENAME: join(mkdtempSync(join(tmpdir(), 'bench-')), 'data.db'),
  EXAMPLE_SEED: 'true',
  REALTIME_CONFIG: JSON.stringify({ socket: { enabled: false }, replay, limits: { maxConnections: 100_000, maxConnectionsPerAddress: 100_000 }, graphql: { maxBufferedBytes: 64 * 1024 * 1024 } }),
  PORT: '0',
  HOST: '127.0.0.1',
});
const { createStrapi } = require('@strapi/strapi');
const strapi = createStrapi({ appDir: exampleDir, distDir: exampleDir, serveAdminPanel: false, autoReload: false });
strapi.log.level = 'error';
await strapi.load();
await strapi.listen();
const { startedRuntimeOf } = require('../../dist/server/runtime.js');
const { context } = startedRuntimeOf(strapi);

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

process.on('message', async (message) => {
  if (message.cmd === 'memory') {
    const { rss, heapUsed } = process.memoryUsage();
    process.send({ reply: 'memory', rss, heapUsed });
  }
  if (message.cmd === 'publish') {
    for (let i = 0; i < message.events; i++) {
      await publish();
      if (i % 20 === 19) await new Promise((done) => setImmediate(done));
    }
    process.send({ reply: 'publish' });
  }
});
process.send({ ready: true, port: strapi.server.httpServer.address().port });
