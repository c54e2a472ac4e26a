'use strict';

const { createDevelopmentToken } = require('./development/development-token');

const READABLE_TYPES = ['api::article.article', 'api::category.category', 'api::tag.tag', 'api::homepage.homepage'];

/** Lets anonymous visitors read every example type (find + findOne), so a newcomer can subscribe at once. */
const grantPublicRead = async (strapi) => {
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
  for (const uid of READABLE_TYPES) {
    for (const action of ['find', 'findOne']) {
      const name = `${uid}.${action}`;
      const exists = await strapi.db.query('plugin::users-permissions.permission').findOne({ where: { action: name, role: role.id } });
      if (!exists) await strapi.db.query('plugin::users-permissions.permission').create({ data: { action: name, role: role.id } });
    }
  }
};

/**
 * A few categories, tags and published articles, created once on a fresh database; in development also a
 * full-access API token to write with.
 */
const seedExampleContent = async (strapi) => {
  if ((await strapi.db.query('api::category.category').count()) > 0) return;

  await grantPublicRead(strapi);
  const documents = (uid) => strapi.documents(uid);

  const [news, guides] = await Promise.all(
    [
      { name: 'News', slug: 'news' },
      { name: 'Guides', slug: 'guides' },
    ].map((data) => documents('api::category.category').create({ data })),
  );
  const tags = [];
  for (const name of ['strapi', 'graphql', 'realtime']) tags.push(await documents('api::tag.tag').create({ data: { name } }));

  const articles = [
    {
      title: 'Realtime comes to Strapi',
      slug: 'realtime-comes-to-strapi',
      summary: 'Typed GraphQL subscriptions for every content type.',
      body: 'Subscribe to `articleCreated` and watch this list grow.',
      kind: 'news',
      views: 42,
      rating: 4.5,
      featured: true,
      category: news.documentId,
      tags: [tags[0].documentId, tags[2].documentId],
      internalNotes: 'Never sent to clients: this field is private.',
      seo: { metaTitle: 'Realtime comes to Strapi', metaDescription: 'Live data for Strapi front ends.' },
    },
    {
      title: 'Subscribing from Apollo Client',
      slug: 'subscribing-from-apollo-client',
      summary: 'A GraphQLWsLink and one useSubscription call.',
      kind: 'tutorial',
      views: 7,
      rating: 4.8,
      category: guides.documentId,
      tags: [tags[1].documentId],
    },
    {
      title: 'Why Socket.IO clients keep working',
      slug: 'why-socket-io-clients-keep-working',
      summary: 'plugin-io clients connect unchanged.',
      kind: 'opinion',
      views: 3,
      category: guides.documentId,
      tags: [tags[2].documentId],
    },
  ];
  const published = [];
  for (const data of articles) {
    published.push(
      await documents('api::article.article').create({ data: { ...data, publishDate: new Date().toISOString() }, status: 'published' }),
    );
  }

  await documents('api::homepage.homepage').create({
    data: { headline: 'Live from Strapi', featured: [published[0].documentId] },
    status: 'published',
  });
  strapi.log.info(`[example] seeded ${published.length} articles, 2 categories, ${tags.length} tags and the homepage`);
  // Fresh database only (this function returned above otherwise), development only (the function checks).
  if (await createDevelopmentToken(strapi)) strapi.log.info('[example] created a full-access API token for development (npm start prints it)');
};

module.exports = { seedExampleContent, grantPublicRead };
