// Boots the example Strapi app of a checkout (this repository by default) with the plugin built in its dist/, on
// a fresh SQLite file, without the admin panel. Used by the server processes of every bench that needs the
// real app. `@strapi/strapi` and the plugin come from the checkout, so another checkout (a baseline) is measured
// with its own code.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPOSITORY = resolve(import.meta.dirname, '../..');

/** `require` as seen from the checkout's root (its node_modules, its dist/). */
export const requireFrom = (checkout = REPOSITORY) => createRequire(join(resolve(checkout), 'package.json'));

/**
 * Loads and starts the app; returns the Strapi instance, listening on 127.0.0.1 at a free port.
 * `dbDir`: where the SQLite file goes (the caller removes it); without one, a temp dir removed at exit.
 * `postgresDatabase`: use this (existing, empty) PostgreSQL database instead, with the example's DATABASE_* variables.
 */
export const bootExample = async ({ checkout = REPOSITORY, realtimeConfig = {}, seed = false, dbDir, postgresDatabase, logLevel = 'error' } = {}) => {
  let dir = dbDir;
  if (postgresDatabase) Object.assign(process.env, { DATABASE_CLIENT: 'postgres', DATABASE_NAME: postgresDatabase });
  else if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'bench-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  const exampleDir = join(resolve(checkout), 'example');
  Object.assign(process.env, {
    STRAPI_TELEMETRY_DISABLED: 'true',
    ...(dir ? { DATABASE_FILENAME: join(dir, 'data.db') } : {}),
    EXAMPLE_SEED: seed ? 'true' : 'false',
    REALTIME_CONFIG: JSON.stringify(realtimeConfig),
    PORT: '0',
    HOST: '127.0.0.1',
  });
  const { createStrapi } = requireFrom(checkout)('@strapi/strapi');
  const strapi = createStrapi({ appDir: exampleDir, distDir: exampleDir, serveAdminPanel: false, autoReload: false });
  strapi.log.level = logLevel;
  await strapi.load();
  await strapi.listen();
  return strapi;
};

/** The Public role may read the example's types (its own seed helper). */
export const grantPublicRead = (strapi, checkout = REPOSITORY) => requireFrom(checkout)('./example/src/seed.js').grantPublicRead(strapi);

/** The plugin's started runtime (its context: `publish`, `eventLog`, ...), from the checkout's dist/. */
export const startedRuntime = (strapi, checkout = REPOSITORY) => requireFrom(checkout)('./dist/server/runtime.js').startedRuntimeOf(strapi);

export const portOf = (strapi) => strapi.server.httpServer.address().port;
