import type { Core } from '@strapi/strapi';
import { normalizeConfigWithWarnings } from './config/normalize';
import { resolveContentTypeSettings } from './config/content-type-settings';
import { setRuntime } from './runtime';
import { createStrapiAdapter } from './strapi/strapi-adapter';
import { createDisposers } from './util/disposers';

/** Checks the config against the app before anything starts: a bad key stops the boot with its name. */
export const register = ({ strapi }: { strapi: Core.Strapi }) => {
  const app = createStrapiAdapter(strapi);
  const { log } = app;
  const { config, warnings } = normalizeConfigWithWarnings(strapi.config.get('plugin::realtime'), process.env);
  for (const warning of warnings) log.warn(warning);
  setRuntime(strapi, {
    config,
    settings: resolveContentTypeSettings(app, config),
    changeListeners: new Set(),
    disposers: createDisposers((error) => log.error('stopping failed', error)),
    started: null,
  });
};
