import type { ContentModel } from '../../../src/schema/content-model';

export const ARTICLE = 'api::article.article';
export const CATEGORY = 'api::category.category';

/** A localized, draft-and-publish collection type with a private field and a relation (like the example's). */
export const articleModel: ContentModel = {
  uid: ARTICLE,
  modelType: 'contentType',
  kind: 'collectionType',
  globalId: 'Article',
  modelName: 'article',
  info: { singularName: 'article', pluralName: 'articles', displayName: 'Article' },
  options: { draftAndPublish: true },
  pluginOptions: { i18n: { localized: true } },
  attributes: {
    title: { type: 'string', required: true },
    summary: { type: 'text' },
    internalNotes: { type: 'string', private: true },
    views: { type: 'integer' },
    kind: { type: 'enumeration', enum: ['news', 'tutorial'] },
    category: { type: 'relation', relation: 'manyToOne', target: CATEGORY },
  },
  privateAttributes: ['internalNotes'],
};

/** A plain collection type (no draft and publish), also with a private field. */
export const categoryModel: ContentModel = {
  uid: CATEGORY,
  modelType: 'contentType',
  kind: 'collectionType',
  globalId: 'Category',
  modelName: 'category',
  info: { singularName: 'category', pluralName: 'categories', displayName: 'Category' },
  options: { draftAndPublish: false },
  attributes: {
    name: { type: 'string', required: true },
    secretCode: { type: 'string', private: true },
    articles: { type: 'relation', relation: 'oneToMany', target: ARTICLE },
  },
  privateAttributes: ['secretCode'],
};

export const CONTENT_MODELS: readonly ContentModel[] = [articleModel, categoryModel];
