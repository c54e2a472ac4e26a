'use strict';

/**
 * CORS is configured once, here: `strapi::cors` answers REST, GraphQL and the realtime SSE endpoint, and the
 * realtime plugin's Socket.IO server follows the same settings (unless its own `socket.serverOptions.cors` is set).
 * Strapi's default allows every origin; CORS_ORIGINS (comma-separated) narrows it, e.g. `http://localhost:5173`.
 */
module.exports = ({ env }) => [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  env('CORS_ORIGINS') ? { name: 'strapi::cors', config: { origin: env.array('CORS_ORIGINS') } } : 'strapi::cors',
  'strapi::poweredBy',
  'strapi::query',
  'strapi::body',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
