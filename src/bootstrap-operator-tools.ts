import type { Core } from '@strapi/strapi';
import { runtimeOf } from './runtime';
import { registerAdminPermissions } from './admin-api/permissions';
import { startMetrics } from './metrics/start-metrics';

/**
 * What operators use beside the transports: the admin permission behind the Realtime page, and the Prometheus
 * endpoint. Runs after the plugin's own bootstrap (both read what it started).
 */
export const bootstrapOperatorTools = async ({ strapi }: { strapi: Core.Strapi }) => {
  await registerAdminPermissions(strapi);
  startMetrics(strapi, runtimeOf(strapi));
};
