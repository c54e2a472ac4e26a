import { createRequire } from 'node:module';
import type { Core } from '@strapi/strapi';

const require = createRequire(import.meta.url);

/** The example app's development token helpers (example/src/development/development-token.js). */
export const developmentToken = require('../../example/src/development/development-token.js') as {
  TOKEN_NAME: string;
  readDevelopmentToken(strapi: Core.Strapi): Promise<string | null>;
  hasDevelopmentToken(strapi: Core.Strapi): Promise<boolean>;
};

/** What `npm start` prints once the app listens (example/scripts/welcome-message.js). */
export const welcomeMessage = (require('../../example/scripts/welcome-message.js') as { welcomeMessage(strapi: Core.Strapi): Promise<string> })
  .welcomeMessage;

/** API tokens of that name in the database (the admin service hides the key; the count is what matters). */
export const countDevelopmentTokens = (strapi: Core.Strapi) =>
  strapi.db.query('admin::api-token').count({ where: { name: developmentToken.TOKEN_NAME } });
