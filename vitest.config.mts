import { createRequire } from 'node:module';
import { resolve as resolvePath } from 'node:path';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * graphql ships an ES build (index.mjs, its `module` field) next to the CommonJS one. Vite would give our sources
 * the ES build while graphql-tools and codegen load the CommonJS one: two graphql realms ("Cannot use
 * GraphQLNonNull from another module or realm"). Every project resolves the one CommonJS copy.
 */
const resolve = { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] };

/** Unit tests that compile TypeScript or run codegen (seconds each): a project of their own keeps `unit` fast. */
const COMPILING = ['types', 'readme-snippets', 'socket-events-plugin'].map((name) => `test/unit/${name}.test.ts`);

/** How integration files run: each boots its own Strapi (one per process, Strapi keeps a global), two at a time. */
const bootingStrapi = {
  // The example app loads the plugin from dist/: rebuilt first when src/ or client/ is newer.
  globalSetup: ['test/setup/build-plugin.ts'],
  // Forks isolate the Strapi instances; the harness restores the process listeners that strapi.destroy() removes.
  pool: 'forks' as const,
  fileParallelism: true,
  maxWorkers: 2,
  testTimeout: 30_000,
  hookTimeout: 60_000,
  env: { STRAPI_TELEMETRY_DISABLED: 'true', NODE_ENV: 'test' },
};

/**
 * The integration files that also run on PostgreSQL in `npm test`: the ones whose behaviour goes through the
 * database (capture in transactions and bulk actions, permissions read and revoked, relations populated, admin
 * RBAC, a database booted twice). The rest talk to the same plugin over the same sockets on either database.
 */
const ON_POSTGRES = [
  'capture',
  'graphql-permission-matrix',
  'socket-io-permissions',
  'relation-permissions',
  'admin-api',
  'development-helpers',
].map((name) => `test/integration/${name}.test.ts`);

/**
 * On the lowest Strapi 5 the peer range claims (`npm run test:lowest-strapi`, run by .ci/run): what the plugin uses
 * of Strapi (Document Service middleware and transactions, content-API auth and sanitizer, users, roles, API tokens,
 * lifecycles), over every transport. Not here: the example's development helpers and admin panel build (they
 * follow the example's Strapi 5.54), the committed codegen output (5.0's models list a `locale` attribute on every
 * type, so the printed Socket.IO payload types differ) and @strapi/plugin-graphql 5.0 (it answers a subscription
 * sent over HTTP with a 500 instead of our error pointing to the WebSocket).
 */
const ON_LOWEST_STRAPI = [
  'capture',
  'graphql-ws',
  'graphql-permission-matrix',
  'socket-io',
  'socket-io-permissions',
  'relation-permissions',
  'graphql-clients',
].map((name) => `test/integration/${name}.test.ts`);

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          // Pure units and the middle layer against fakes (test/unit/fakes/): seconds, no Strapi, no compiler.
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          exclude: COMPILING,
        },
      },
      {
        resolve,
        test: {
          // What runs the TypeScript compiler or codegen (typed clients, README blocks, the codegen plugin): slower.
          name: 'compile',
          include: COMPILING,
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          // Integration files run after the unit project (their worker settings differ).
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts'],
          ...bootingStrapi,
        },
      },
      {
        resolve,
        test: {
          // The same files on PostgreSQL (127.0.0.1:5432 unless DATABASE_HOST/PORT say otherwise): each booted app
          // gets a database of its own, created and dropped by the harness.
          name: 'integration-postgres',
          sequence: { groupOrder: 2 },
          include: ON_POSTGRES,
          ...bootingStrapi,
          globalSetup: [...bootingStrapi.globalSetup, 'test/setup/postgres.ts'],
          env: { ...bootingStrapi.env, DATABASE_CLIENT: 'postgres' },
        },
      },
      {
        resolve,
        test: {
          // Random and adversarial input against the real app, bounded in time (FUZZ_SECONDS, FUZZ_SEED).
          name: 'fuzz',
          sequence: { groupOrder: 3 },
          include: ['test/fuzz/**/*.test.ts'],
          globalSetup: ['test/setup/build-plugin.ts'],
          pool: 'forks',
          // gc() before heap measurements.
          execArgv: ['--expose-gc'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          env: { STRAPI_TELEMETRY_DISABLED: 'true', NODE_ENV: 'test' },
        },
      },
      // Only when asked (it installs another Strapi first): `npm run test:lowest-strapi`.
      ...(process.env.LOWEST_STRAPI
        ? [
            {
              resolve,
              test: {
                name: 'integration-lowest-strapi',
                include: ON_LOWEST_STRAPI,
                ...bootingStrapi,
                globalSetup: [...bootingStrapi.globalSetup, 'test/setup/postgres.ts', 'test/setup/lowest-strapi.ts'],
                env: { ...bootingStrapi.env, DATABASE_CLIENT: 'postgres', EXAMPLE_APP_DIR: resolvePath(import.meta.dirname, '.strapi-lowest') },
              },
            },
          ]
        : []),
    ],
  },
});
