import type { Core } from '@strapi/strapi';
import type { Runtime } from '../runtime';
import { takeSnapshot } from '../observability/realtime-snapshot';
import { createPrometheusMetrics } from './prometheus-metrics';
import { serveMetrics } from './metrics-endpoint';

/** Serves `GET metrics.path` when `metrics.enabled` (config normalization guarantees a token then). */
export const startMetrics = (strapi: Core.Strapi, runtime: Runtime) => {
  const { metrics: config } = runtime.config;
  if (!config.enabled || !config.token) return;
  const metrics = createPrometheusMetrics({ takeSnapshot: () => takeSnapshot(runtime), defaultMetrics: config.defaultMetrics });
  serveMetrics(strapi, { ...config, token: config.token }, metrics);
  runtime.endpoints.metrics = config.path;
};
