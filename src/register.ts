import type { Core } from '@strapi/strapi';
import { normalizeConfigWithWarnings } from './config/normalize';
import { resolveContentTypeSettings } from './config/content-type-settings';
import { setRuntime } from './runtime';
import { createStrapiAdapter } from './strapi/strapi-adapter';
import { createDisposers } from './util/disposers';
import { addSubscriptionsToPluginGraphql } from './transports/graphql/plugin-graphql-schema';

/**
 * Checks the config against the app before anything starts (a bad key stops the boot with its name), and extends
 * @strapi/plugin-graphql's schema with the subscription fields when it is enabled.
 */
export const register = ({ strapi }: { strapi: Core.Strapi }) => {
  const app = createStrapiAdapter(strapi);
  const { log } = app;
  const { config, warnings } = normalizeConfigWithWarnings(strapi.config.get('plugin::realtime'), process.env);
  for (const warning of warnings) log.warn(warning);
  const settings = resolveContentTypeSettings(app, config);
  setRuntime(strapi, {
    config,
    settings,
    changeListeners: new Set(),
    disposers: createDisposers((error) => log.error('stopping failed', error)),
    started: null,
  });
  // One schema: with @strapi/plugin-graphql, its `/graphql` also shows the subscriptions (it must be told in register).
  addSubscriptionsToPluginGraphql(app, { config, settings });
};
