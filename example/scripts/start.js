'use strict';

/**
 * `npm start`: boots the example app with the plugin (compiled to ../dist by `npm run build`) on embedded SQLite,
 * without building the admin panel. Honours PORT (default 1337) and DATABASE_FILENAME (default .tmp/data.db).
 */
const path = require('path');
const fs = require('fs');

process.env.STRAPI_TELEMETRY_DISABLED ??= 'true';
const appDir = path.resolve(__dirname, '..');
fs.mkdirSync(path.join(appDir, 'public', 'uploads'), { recursive: true });

const { createStrapi } = require('@strapi/strapi');

const printUrls = (app) => {
  const { port } = app.server.httpServer.address();
  const http = `http://localhost:${port}`;
  const ws = `ws://localhost:${port}`;
  let realtime = {};
  try {
    realtime = app.plugin('realtime').service('realtime').getEndpoints();
  } catch {
    // The plugin reports its endpoints once it has bootstrapped; the REST line is still useful without them.
  }
  const lines = [
    '',
    'strapi-plugin-realtime example is running',
    `  REST                        ${http}/api/articles`,
    realtime.graphqlWs && `  GraphQL subscriptions (ws)  ${ws}${realtime.graphqlWs}`,
    realtime.graphqlSse && `  GraphQL over SSE            ${http}${realtime.graphqlSse}`,
    realtime.graphiql && `  GraphiQL                    ${http}${realtime.graphiql}`,
    realtime.sdl && `  Subscription schema (SDL)   ${http}${realtime.sdl}`,
    realtime.socketIo && `  Socket.IO                   ${http} (path ${realtime.socketIo})`,
    app.plugin('graphql') && `  GraphQL queries (HTTP)      ${http}/graphql`,
    '',
    'Try: edit content through REST or the Document Service and watch articleCreated / article:create arrive.',
    'Stop with Ctrl+C.',
    '',
  ];
  console.log(lines.filter(Boolean).join('\n'));
};

const main = async () => {
  const app = createStrapi({ appDir, distDir: appDir, serveAdminPanel: false, autoReload: false });
  // Strapi installs its own SIGINT/SIGTERM handlers: they destroy the app (our plugin's destroy included:
  // sockets closed, subscriptions ended) and exit.
  await app.load();
  await app.listen();
  printUrls(app);
};

main().catch((error) => {
  console.error(`\nThe example app could not start:\n${error && error.message ? error.message : error}`);
  process.exit(1);
});
