'use strict';

module.exports = ({ env }) => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  // `npm start` prints the URLs that matter here (the admin panel is not built), so skip Strapi's banner.
  logger: { startup: { enabled: false } },
  app: {
    // Development-only defaults so `npm start` works on a fresh clone; set APP_KEYS in production.
    keys: env.array('APP_KEYS', ['realtime-example-key-1', 'realtime-example-key-2']),
  },
});
