import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * graphql ships an ES build (index.mjs, its `module` field) next to the CommonJS one. Vite would give our sources
 * the ES build while graphql-tools and codegen load the CommonJS one: two graphql realms ("Cannot use
 * GraphQLNonNull from another module or realm"). Every project resolves the one CommonJS copy.
 */
const resolve = { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] };

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          // Integration files run after the unit project (their worker settings differ).
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts'],
          // The example app loads the plugin from dist/: rebuilt first when src/ or client/ is newer.
          globalSetup: ['test/setup/build-plugin.ts'],
          // Each file boots its own Strapi (one per process: Strapi keeps a global). Forks isolate them;
          // the harness restores the process listeners that strapi.destroy() removes.
          pool: 'forks',
          fileParallelism: true,
          maxWorkers: 2,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          env: { STRAPI_TELEMETRY_DISABLED: 'true', NODE_ENV: 'test' },
        },
      },
      {
        resolve,
        test: {
          // Random and adversarial input against the real app, bounded in time (FUZZ_SECONDS, FUZZ_SEED).
          name: 'fuzz',
          sequence: { groupOrder: 2 },
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
    ],
  },
});
