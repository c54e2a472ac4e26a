'use strict';

/**
 * `npm run start:admin`: the example app with its admin panel. Builds the admin panel when its inputs changed
 * (about a minute the first time, nothing afterwards), boots the app on embedded SQLite, creates a development
 * Super Admin on a fresh database and prints its credentials. Development only.
 */
const path = require('path');
const fs = require('fs');

process.env.STRAPI_TELEMETRY_DISABLED ??= 'true';
const appDir = path.resolve(__dirname, '..');
fs.mkdirSync(path.join(appDir, 'public', 'uploads'), { recursive: true });

const { createStrapi } = require('@strapi/strapi');
const { buildAdmin } = require('./build-admin');
const { ensureDevAdmin } = require('./dev-admin');
const { welcomeMessage } = require('./welcome-message');

const main = async () => {
  if (process.env.NODE_ENV === 'production') throw new Error('start:admin is a development command (it creates a known admin account)');
  console.log('Building the admin panel (skipped when nothing changed)...');
  const { built, ms } = await buildAdmin();
  console.log(built ? `Admin panel built in ${(ms / 1000).toFixed(1)} s` : 'Admin panel up to date');

  const app = createStrapi({ appDir, distDir: appDir, serveAdminPanel: true, autoReload: false });
  await app.load();
  const account = await ensureDevAdmin(app);
  await app.listen();
  console.log(await welcomeMessage(app, [
    `  Admin panel                 {http}/admin  → Realtime in the menu`,
    account.created
      ? `  Development admin (created) ${account.email} / ${account.password}`
      : `  Admin login                 your admin account (the development one is ${account.email} / ${account.password} unless changed)`,
  ]));
};

main().catch((error) => {
  console.error(`\nThe example app could not start:\n${error && error.stack ? error.stack : error}`);
  process.exit(1);
});
