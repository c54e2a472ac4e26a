'use strict';

const { seedExampleContent } = require('./seed');
const { registerDemoPage } = require('./development/demo-page');
const { hasDevelopmentToken } = require('./development/development-token');

module.exports = {
  register() {},

  async bootstrap({ strapi }) {
    // Tests boot this app with EXAMPLE_SEED=false to start from an empty database and a Public role without rights.
    if (process.env.EXAMPLE_SEED !== 'false') await seedExampleContent(strapi);
    registerDemoPage(strapi);
    if (process.env.NODE_ENV === 'production' && (await hasDevelopmentToken(strapi))) {
      strapi.log.warn('[example] this database holds the full-access development API token: revoke it (Settings > API Tokens)');
    }
  },
};
