import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          // Integration files run after the unit project (their worker settings differ).
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts'],
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
    ],
  },
});
