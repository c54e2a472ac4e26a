'use strict';

const { seedExampleContent } = require('./seed');

module.exports = {
  register() {},

  async bootstrap({ strapi }) {
    // Tests boot this app with EXAMPLE_SEED=false to start from an empty database and a Public role without rights.
    if (process.env.EXAMPLE_SEED !== 'false') await seedExampleContent(strapi);
  },
};
