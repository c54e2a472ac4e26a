// This project's transport, for real: the example Strapi app with the plugin (pipeline, hub, graphql-ws server).
// Events go onto the plugin's bus as captured changes would; everything after that is the production path.
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serveBench } from './server-control.mjs';
import { articleEntry } from './payload.mjs';

const require = createRequire(import.meta.url);
const exampleDir = resolve(import.meta.dirname, '../../example');
Object.assign(process.env, {
  STRAPI_TELEMETRY_DISABLED: 'true',
  DATABASE_FILENAME: join(mkdtempSync(join(tmpdir(), 'bench-')), 'data.db'),
  EXAMPLE_SEED: 'false',
  REALTIME_CONFIG: JSON.stringify({ socket: { enabled: false }, graphql: { maxBufferedBytes: 64 * 1024 * 1024, keepAliveMs: Number(process.env.BENCH_KEEPALIVE_MS ?? 12000) } }),
  PORT: '0',
  HOST: '127.0.0.1',
});
const { createStrapi } = require('@strapi/strapi');
const strapi = createStrapi({ appDir: exampleDir, distDir: exampleDir, serveAdminPanel: false, autoReload: false });
strapi.log.level = 'error';
await strapi.load();
await strapi.listen();
await require('../../example/src/seed.js').grantPublicRead(strapi);
const { startedRuntimeOf } = require('../../dist/server/runtime.js');
const { bus } = startedRuntimeOf(strapi).context;

serveBench({
  port: strapi.server.httpServer.address().port,
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
    return bus.publish({ type: 'change', event });
  },
  stats: () => strapi.plugin('realtime').service('realtime').getTransportStats(),
});
