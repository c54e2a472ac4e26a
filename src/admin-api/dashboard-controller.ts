import type { Core } from '@strapi/strapi';
import { runtimeOf } from '../runtime';
import { dashboardOverview } from './dashboard-overview';
import { maskedConfig } from './masked-config';

/** Handlers of the admin routes (their policies already checked the admin session and `plugin::realtime.read`). */
export const dashboardController = ({ strapi }: { strapi: Core.Strapi }) => ({
  overview(ctx: { body: unknown }) {
    ctx.body = { data: dashboardOverview(runtimeOf(strapi)) };
  },
  config(ctx: { body: unknown }) {
    const { config, settings } = runtimeOf(strapi);
    ctx.body = { data: maskedConfig(config, settings) };
  },
});
