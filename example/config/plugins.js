'use strict';

const path = require('path');

/**
 * The realtime plugin's config. `REALTIME_CONFIG_MODULE` (a module exporting `({ env }) => config`) or
 * `REALTIME_CONFIG` (JSON) replace it, so tests and demos can boot this same app with other settings.
 */
const realtimeConfig = ({ env }) => {
  const modulePath = env('REALTIME_CONFIG_MODULE');
  if (modulePath) return require(path.resolve(modulePath))({ env });
  return env.json('REALTIME_CONFIG', {});
};

module.exports = ({ env }) => ({
  // The plugin under development: the repository root is the plugin package (compiled to dist/ by `npm run build`).
  realtime: {
    enabled: true,
    resolve: path.resolve(__dirname, '..', '..'),
    config: realtimeConfig({ env }),
  },
  'users-permissions': {
    config: {
      // Development-only default so the example boots on a fresh clone.
      jwtSecret: env('JWT_SECRET', 'realtime-example-jwt-secret'),
    },
  },
  // The example sends no email: nodemailer's JSON transport builds messages and drops them. (Strapi's default,
  // sendmail, would warn at every development boot and try to deliver users-permissions' emails.)
  email: {
    config: {
      provider: 'nodemailer',
      providerOptions: { jsonTransport: true },
      settings: { defaultFrom: 'realtime-example@localhost', defaultReplyTo: 'realtime-example@localhost' },
    },
  },
  // Queries and mutations over HTTP (/graphql); the realtime plugin adds subscriptions on the same path over WebSocket.
  graphql: {
    enabled: env.bool('EXAMPLE_GRAPHQL', true),
    // No `landingPage` key: plugin-graphql's default shows its playground in development only.
    config: { defaultLimit: 25, maxLimit: 100, depthLimit: 10 },
  },
});
