'use strict';

/**
 * `npm start`: boots the example app with the plugin (compiled to ../dist by `npm run build`) on embedded SQLite,
 * without building the admin panel (`npm run start:admin` builds and serves it). Honours PORT (default 1337) and
 * DATABASE_FILENAME (default .tmp/data.db).
 */
const path = require('path');
const fs = require('fs');

process.env.STRAPI_TELEMETRY_DISABLED ??= 'true';
const appDir = path.resolve(__dirname, '..');
fs.mkdirSync(path.join(appDir, 'public', 'uploads'), { recursive: true });

const { createStrapi } = require('@strapi/strapi');
const { welcomeMessage } = require('./welcome-message');

const main = async () => {
  const app = createStrapi({ appDir, distDir: appDir, serveAdminPanel: false, autoReload: false });
  // Strapi installs its own SIGINT/SIGTERM handlers: they destroy the app (our plugin's destroy included:
  // sockets closed, subscriptions ended) and exit.
  await app.load();
  await app.listen();
  console.log(await welcomeMessage(app));
};

main().catch((error) => {
  console.error(`\nThe example app could not start:\n${error && error.message ? error.message : error}`);
  process.exit(1);
});
