import type { Core } from '@strapi/strapi';
import { normalizeConfigWithWarnings } from './config/normalize';
import { resolveContentTypeSettings } from './config/content-type-settings';
import { setRuntime } from './runtime';
import { createDisposers } from './util/disposers';
import { addSubscriptionsToPluginGraphql } from './transports/graphql/plugin-graphql-schema';

/**
 * Checks the config against the app before anything starts (a bad key stops the boot with its name), and extends
 * @strapi/plugin-graphql's schema with the subscription fields when it is enabled.
 */
export const register = ({ strapi }: { strapi: Core.Strapi }) => {
  const { config, warnings } = normalizeConfigWithWarnings(strapi.config.get('plugin::realtime'), process.env);
  for (const warning of warnings) strapi.log.warn(`[realtime] ${warning}`);
  const settings = resolveContentTypeSettings(strapi, config);
  setRuntime(strapi, {
    config,
    settings,
    listeners: new Set(),
    disposers: createDisposers((error) => strapi.log.error(`[realtime] stopping failed: ${String(error)}`)),
    transports: [],
    endpoints: {},
  });
  // One schema: with @strapi/plugin-graphql, its `/graphql` also shows the subscriptions (it must be told in register).
  addSubscriptionsToPluginGraphql(strapi, { config, settings });
};
