import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { normalizeConfig } from '../config/normalize';
import { resolveContentTypeSettings } from '../config/content-type-settings';
import { buildAppSchema } from '../schema/app-schema';
import { createStrapiAdapter } from '../strapi/strapi-adapter';
import { printRealtimeSdl } from '../schema/print-sdl';

/**
 * Prints the realtime SDL of a Strapi app without starting it: Strapi's `register` phase loads the content
 * types and plugin config (no database, no HTTP server), which is all the schema depends on.
 */
export const loadAppSdl = async (options: { appDir: string; distDir?: string }): Promise<string> => {
  const appDir = resolve(options.appDir);
  // A TypeScript app runs from its build output; a JavaScript app from its own directory.
  const distDir = resolve(options.distDir ?? (existsSync(join(appDir, 'tsconfig.json')) ? join(appDir, 'dist') : appDir));
  process.env.STRAPI_TELEMETRY_DISABLED ??= 'true';
  // Resolved from the app, so the app's own Strapi (and the plugin it loads) is used.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the app's own copy, found at run time
  const { createStrapi } = require(require.resolve('@strapi/strapi', { paths: [appDir] })) as typeof import('@strapi/strapi');
  const strapi = createStrapi({ appDir, distDir, serveAdminPanel: false, autoReload: false });
  (strapi.log as unknown as { level: string }).level = 'error';
  try {
    await strapi.register();
    const config = normalizeConfig(strapi.config.get('plugin::realtime'));
    const app = createStrapiAdapter(strapi);
    const { schema } = buildAppSchema((uid) => app.getModel(uid), { config, settings: resolveContentTypeSettings(app, config) });
    return printRealtimeSdl(schema);
  } finally {
    await strapi.destroy().catch(() => undefined);
  }
};
