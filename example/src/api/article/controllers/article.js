'use strict';

const { factories } = require('@strapi/strapi');

const UID = 'api::article.article';

/** The core actions plus `publish` and `unpublish` (see routes/article-publication.js). */
module.exports = factories.createCoreController(UID, ({ strapi }) => {
  /** Publishes or unpublishes every locale of one document; answers with the version the change left. */
  const changePublication = async (controller, ctx, action) => {
    const { documentId } = ctx.params;
    const existing = await strapi.documents(UID).findOne({ documentId, status: 'draft' });
    if (!existing) return ctx.notFound();
    await strapi.documents(UID)[action]({ documentId });
    const current = await strapi.documents(UID).findOne({ documentId, status: action === 'publish' ? 'published' : 'draft' });
    ctx.body = { data: await controller.sanitizeOutput(current, ctx) };
  };
  return {
    async publish(ctx) {
      return changePublication(this, ctx, 'publish');
    },
    async unpublish(ctx) {
      return changePublication(this, ctx, 'unpublish');
    },
  };
});
