import type { Core } from '@strapi/strapi';
import { normalizeConfigWithWarnings } from './config/normalize';
import { resolveContentTypeSettings } from './config/content-type-settings';
import { setRuntime } from './runtime';
import { createDisposers } from './util/disposers';

/** Checks the config against the app before anything starts: a bad key stops the boot with its name. */
export const register = ({ strapi }: { strapi: Core.Strapi }) => {
  const { config, warnings } = normalizeConfigWithWarnings(strapi.config.get('plugin::realtime'), process.env);
  for (const warning of warnings) strapi.log.warn(`[realtime] ${warning}`);
  setRuntime(strapi, {
    config,
    settings: resolveContentTypeSettings(strapi, config),
    listeners: new Set(),
    disposers: createDisposers((error) => strapi.log.error(`[realtime] stopping failed: ${String(error)}`)),
    transports: [],
    endpoints: {},
  });
};
