'use strict';

/**
 * The one switch for the example's development helpers (the API token, the demo page). Strapi sets NODE_ENV to
 * `development` when it is unset (`npm start`); anything else, `production` and `test` included, gets none of them.
 */
const isDevelopment = () => process.env.NODE_ENV === 'development';

module.exports = { isDevelopment };
