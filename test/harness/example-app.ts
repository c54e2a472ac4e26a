import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Core } from '@strapi/strapi';
import { createExampleDatabase, type ExampleDatabase } from './example-database';

export const EXAMPLE_DIR = resolve(__dirname, '../../example');

/**
 * The app the tests boot: example/, or the copy of it that `EXAMPLE_APP_DIR` names (test/setup/lowest-strapi.ts
 * installs one with the lowest Strapi 5 the peer range claims). Strapi is loaded from the app's own dependencies.
 */
export const exampleAppDir = () => process.env.EXAMPLE_APP_DIR ?? EXAMPLE_DIR;

export interface ExampleApp {
  strapi: Core.Strapi;
  port: number;
  /** `http://127.0.0.1:<port>` */
  httpUrl: string;
  /** `ws://127.0.0.1:<port>` */
  wsUrl: string;
  stop(): Promise<void>;
}

export interface BootOptions {
  /** Plugin config as JSON (no functions). */
  realtimeConfig?: Record<string, unknown>;
  /** Path of a module exporting `({ env }) => config`, for configs with functions (events, hooks). */
  realtimeConfigModule?: string;
  /** Seed the example content and Public read access (off by default: tests start from nothing). */
  seed?: boolean;
  /** Enable @strapi/plugin-graphql (HTTP queries) next to the plugin (default on, as in the example). */
  graphqlPlugin?: boolean;
  /** Serve the admin panel built in example/build (`example/scripts/build-admin.js`); off by default. */
  adminPanel?: boolean;
  /**
   * More environment for this boot, restored by `stop()`: e.g. `NODE_ENV: 'development'` for the example's
   * development helpers (token, demo page), `CORS_ORIGINS` for its `strapi::cors` settings.
   */
  env?: Record<string, string>;
  /** A database to boot on, kept by `stop()` (e.g. to boot a second time on it); default: a fresh one, dropped by `stop()`. */
  database?: ExampleDatabase;
}

type ProcessListeners = Map<string | symbol, Function[]>;

/** strapi.destroy() calls process.removeAllListeners(), which would cut the test worker's IPC: put them back. */
const saveProcessListeners = (): ProcessListeners =>
  new Map(process.eventNames().map((name) => [name, process.rawListeners(name as never) as Function[]]));

const restoreProcessListeners = (saved: ProcessListeners) => {
  for (const [name, listeners] of saved) {
    const current = process.rawListeners(name);
    for (const listener of listeners) if (!current.includes(listener)) process.on(name as never, listener as never);
  }
};

/**
 * Boots the real example app (its content types, its config, the compiled plugin from dist/) on a fresh database
 * (SQLite, or PostgreSQL with `DATABASE_CLIENT=postgres`) and a free port, without the admin panel unless asked.
 * One app per process at a time (Strapi keeps a global).
 */
export const bootExample = async (options: BootOptions = {}): Promise<ExampleApp> => {
  const database = options.database ?? (await createExampleDatabase());
  const dropDatabase = () => (options.database ? Promise.resolve() : database.drop());
  const extraEnv = { ...database.env, ...options.env };
  const previousEnv = Object.fromEntries(Object.keys(extraEnv).map((name) => [name, process.env[name]]));
  const restoreEnv = () => {
    for (const [name, value] of Object.entries(previousEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  Object.assign(process.env, {
    STRAPI_TELEMETRY_DISABLED: 'true',
    PORT: '0',
    HOST: '127.0.0.1',
    EXAMPLE_SEED: options.seed ? 'true' : 'false',
    EXAMPLE_GRAPHQL: options.graphqlPlugin === false ? 'false' : 'true',
    REALTIME_CONFIG: JSON.stringify(options.realtimeConfig ?? {}),
    REALTIME_CONFIG_MODULE: options.realtimeConfigModule ?? '',
    ...extraEnv,
  });

  const appDir = exampleAppDir();
  const { createStrapi } = createRequire(join(appDir, 'package.json'))('@strapi/strapi') as typeof import('@strapi/strapi');
  const saved = saveProcessListeners();
  const strapi = createStrapi({ appDir, distDir: appDir, serveAdminPanel: options.adminPanel ?? false, autoReload: false });
  (strapi.log as unknown as { level: string }).level = process.env.TEST_LOG_LEVEL ?? 'error';
  try {
    await strapi.load();
    await strapi.listen();
  } catch (error) {
    await strapi.destroy().catch(() => undefined);
    restoreProcessListeners(saved);
    restoreEnv();
    await dropDatabase();
    throw error;
  }
  const { port } = strapi.server.httpServer.address() as AddressInfo;

  return {
    strapi,
    port,
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    async stop() {
      await strapi.destroy();
      restoreProcessListeners(saved);
      restoreEnv();
      await dropDatabase();
    },
  };
};
