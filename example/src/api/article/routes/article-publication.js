'use strict';

/**
 * Publish and unpublish over REST. Strapi 5's REST API has no such routes (a PUT saves and publishes, which is an
 * update); these two call the Document Service's `publish`/`unpublish`, so `articlePublished` / `article:publish`
 * and `articleUnpublished` / `article:unpublish` can be triggered with curl and from the demo page. They are
 * content-API routes like the core ones: a full-access API token may call them, the Public role may not.
 */
module.exports = {
  routes: [
    { method: 'POST', path: '/articles/:documentId/publish', handler: 'article.publish' },
    { method: 'POST', path: '/articles/:documentId/unpublish', handler: 'article.unpublish' },
  ],
};
