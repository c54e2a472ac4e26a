import type { Runtime } from '../runtime';
import type { StrapiAdapter } from '../strapi/strapi-adapter';
import { takeSnapshot } from '../observability/realtime-snapshot';
import { createPrometheusMetrics } from './prometheus-metrics';
import { serveMetrics } from './metrics-endpoint';

/** Serves `GET metrics.path` when `metrics.enabled` (config normalization guarantees a token then). */
export const startMetrics = (strapi: StrapiAdapter, runtime: Runtime) => {
  const { metrics: config } = runtime.config;
  if (!config.enabled || !config.token) return;
  const metrics = createPrometheusMetrics({ takeSnapshot: () => takeSnapshot(runtime.started), defaultMetrics: config.defaultMetrics });
  serveMetrics(strapi, { ...config, token: config.token }, metrics);
};
