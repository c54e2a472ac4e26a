// The ~500-byte article every server sends, and the one subscription every client runs.
export const SUBSCRIPTION =
  'subscription { articleCreated { documentId title summary body views rating featured kind publishDate metadata createdAt updatedAt publishedAt } }';

let sequence = 0;

/** A fresh article entry (raw, as Strapi returns it) stamped with the publish time for latency. */
export const articleEntry = () => {
  sequence++;
  const now = new Date().toISOString();
  return {
    id: sequence,
    documentId: `bench${String(sequence).padStart(20, '0')}`,
    title: `Benchmark article number ${sequence}`,
    summary: 'A realistic summary of an article, a sentence or two long, like the ones editors write for listings and previews.',
    body: 'The body of the article is usually much longer; here it is kept to a couple of sentences so the whole payload stays near five hundred bytes, as the issue asks.',
    internalNotes: 'private: never sent',
    views: 1234,
    rating: 4.5,
    featured: true,
    kind: 'news',
    publishDate: now,
    metadata: { sentAt: Date.now() },
    createdAt: now,
    updatedAt: now,
    publishedAt: now,
    locale: null,
  };
};

/** What a subscriber receives as `data` (private fields excluded), for the naive and raw servers. */
export const publicView = (entry) => {
  const { id: _id, internalNotes: _private, locale: _locale, ...rest } = entry;
  return rest;
};
