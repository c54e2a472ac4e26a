import { describe, expect, it } from 'vitest';
import { evaluateFilters, type FilterContext } from '../../src/schema/filters/evaluate-filters';
import type { ContentModel } from '../../src/schema/content-model';

const category: ContentModel = {
  uid: 'api::category.category',
  modelType: 'contentType',
  info: { singularName: 'category' },
  attributes: { name: { type: 'string' }, articles: { type: 'relation', relation: 'oneToMany', target: 'api::article.article' } },
};
const tag: ContentModel = { uid: 'api::tag.tag', modelType: 'contentType', info: { singularName: 'tag' }, attributes: { name: { type: 'string' } } };
const seo: ContentModel = { uid: 'shared.seo', modelType: 'component', info: {}, attributes: { metaTitle: { type: 'string' } } };
const article: ContentModel = {
  uid: 'api::article.article',
  modelType: 'contentType',
  info: { singularName: 'article' },
  attributes: {
    title: { type: 'string' },
    internalNotes: { type: 'string', private: true },
    views: { type: 'integer' },
    rating: { type: 'decimal' },
    featured: { type: 'boolean' },
    publishDate: { type: 'datetime' },
    metadata: { type: 'json' },
    category: { type: 'relation', relation: 'manyToOne', target: 'api::category.category' },
    tags: { type: 'relation', relation: 'manyToMany', target: 'api::tag.tag' },
    seo: { type: 'component', component: 'shared.seo' },
  },
};
const models = new Map([article, category, tag, seo].map((m) => [m.uid, m]));
const loads: string[] = [];
const context: FilterContext = {
  getModel: (uid) => models.get(uid),
  async loadRelation(model, entry, field) {
    loads.push(`${model.uid}.${field}`);
    return field === 'articles' ? [{ title: 'sibling' }] : null;
  },
};

const entry = {
  documentId: 'abc',
  title: 'GraphQL in Strapi',
  views: 42,
  rating: '4.5',
  featured: true,
  publishDate: '2026-01-15T10:00:00.000Z',
  metadata: { a: 1 },
  category: { name: 'Guides' },
  tags: [{ name: 'graphql' }, { name: 'strapi' }],
  seo: { metaTitle: 'SEO' },
};
const matches = (filters: Record<string, unknown>) => evaluateFilters(filters, entry, article, context);

describe('in-memory filters (plugin-graphql operators)', () => {
  it.each([
    [{ title: { eq: 'GraphQL in Strapi' } }, true],
    [{ title: { eq: 'graphql in strapi' } }, false],
    [{ title: { eqi: 'graphql in strapi' } }, true],
    [{ title: { ne: 'x' } }, true],
    [{ title: { nei: 'GRAPHQL IN STRAPI' } }, false],
    [{ title: { contains: 'QL' } }, true],
    [{ title: { contains: 'ql' } }, false],
    [{ title: { containsi: 'ql' } }, true],
    [{ title: { notContains: 'QL' } }, false],
    [{ title: { notContainsi: 'xyz' } }, true],
    [{ title: { startsWith: 'Graph' } }, true],
    [{ title: { endsWith: 'Strapi' } }, true],
    [{ views: { gt: 41, lt: 43 } }, true],
    [{ views: { gte: 43 } }, false],
    [{ views: { lte: 42 } }, true],
    [{ views: { in: [1, 42] } }, true],
    [{ views: { notIn: [42] } }, false],
    [{ views: { between: [40, 50] } }, true],
    [{ rating: { gt: 4 } }, true],
    [{ publishDate: { gt: '2026-01-01T00:00:00.000Z' } }, true],
    [{ featured: { eq: true } }, true],
    [{ summary: { null: true } }, false], // not an attribute of the model: never matches
    [{ views: { null: true } }, false],
    [{ views: { notNull: true } }, true],
    [{ metadata: { eq: { a: 1 } } }, true],
    [{ documentId: { eq: 'abc' } }, true],
    [{ title: { or: ['x', 'GraphQL in Strapi'] } }, true],
    [{ title: { not: { eq: 'GraphQL in Strapi' } } }, false],
    [{ or: [{ views: { eq: 1 } }, { featured: { eq: true } }] }, true],
    [{ and: [{ views: { eq: 42 } }, { featured: { eq: false } }] }, false],
    [{ not: { views: { eq: 42 } } }, false],
    [{ category: { name: { eq: 'Guides' } } }, true],
    [{ tags: { name: { eq: 'strapi' } } }, true],
    [{ tags: { name: { eq: 'other' } } }, false],
    [{ seo: { metaTitle: { eq: 'SEO' } } }, true],
    [{ title: { unknownOperator: 'x' } }, false],
  ])('%j → %s', async (filters, expected) => {
    expect(await matches(filters)).toBe(expected);
  });

  it('never matches on a field the entry does not carry (private data cannot be probed)', async () => {
    expect(await matches({ internalNotes: { null: false } })).toBe(false);
    expect(await matches({ internalNotes: { null: true } })).toBe(true);
  });

  it('loads a relation the entry does not carry, and only then', async () => {
    loads.length = 0;
    expect(await matches({ category: { name: { eq: 'Guides' } } })).toBe(true);
    expect(loads).toEqual([]);
    expect(await matches({ category: { articles: { title: { eq: 'sibling' } } } })).toBe(true);
    expect(await matches({ category: { articles: { title: { eq: 'stranger' } } } })).toBe(false);
    expect(loads).toEqual(['api::category.category.articles', 'api::category.category.articles']);
  });

  it('no filters match everything; no entry matches nothing', async () => {
    expect(await evaluateFilters(undefined, entry, article, context)).toBe(true);
    expect(await evaluateFilters({}, null, article, context)).toBe(false);
  });
});
