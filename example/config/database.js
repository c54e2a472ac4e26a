'use strict';

const path = require('path');

/**
 * SQLite by default (a file, `DATABASE_FILENAME`, default .tmp/data.db); PostgreSQL with `DATABASE_CLIENT=postgres`
 * and the variables Strapi's own project template uses (`DATABASE_HOST`, `DATABASE_PORT`, `DATABASE_NAME`,
 * `DATABASE_USERNAME`, `DATABASE_PASSWORD`). The tests boot this app on either.
 */
module.exports = ({ env }) => {
  if (env('DATABASE_CLIENT', 'sqlite') === 'postgres') {
    return {
      connection: {
        client: 'postgres',
        connection: {
          host: env('DATABASE_HOST', '127.0.0.1'),
          port: env.int('DATABASE_PORT', 5432),
          database: env('DATABASE_NAME', 'strapi'),
          user: env('DATABASE_USERNAME', 'postgres'),
          password: env('DATABASE_PASSWORD', ''),
        },
        pool: { min: 0, max: 5 },
      },
    };
  }
  return {
    connection: {
      client: 'sqlite',
      connection: {
        filename: path.resolve(__dirname, '..', env('DATABASE_FILENAME', '.tmp/data.db')),
      },
      useNullAsDefault: true,
    },
  };
};
