import type { StrapiAdapter } from '../strapi/strapi-adapter';
import type { MetricsConfig } from '../config/types';
import type { PrometheusMetrics } from './prometheus-metrics';
import { hasBearerToken } from './bearer-token';

interface MetricsContext {
  get(header: string): string;
  set(header: string, value: string): void;
  status: number;
  type: string;
  body: unknown;
}

/**
 * `GET metrics.path`: the Prometheus text exposition, for scrapers that send `Authorization: Bearer <token>`.
 * Outside Strapi's auth (`auth: false`): a scraper has no Strapi user; the token is the whole protection.
 */
export const serveMetrics = (strapi: StrapiAdapter, config: MetricsConfig & { token: string }, metrics: PrometheusMetrics) => {
  strapi.addRoutes([
    {
      method: 'GET',
      path: config.path,
      handler: async (ctx: MetricsContext) => {
        ctx.set('Cache-Control', 'no-store');
        if (!hasBearerToken(ctx.get('authorization'), config.token)) {
          ctx.set('WWW-Authenticate', 'Bearer realm="realtime metrics"');
          ctx.status = 401;
          ctx.type = 'text/plain; charset=utf-8';
          ctx.body = 'Unauthorized: send the metrics token as "Authorization: Bearer <token>".\n';
          return;
        }
        ctx.type = metrics.contentType;
        ctx.body = await metrics.render();
      },
    },
  ]);
};
