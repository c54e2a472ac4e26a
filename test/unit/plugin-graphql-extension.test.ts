/**
 * The extension of @strapi/plugin-graphql's schema (src/schema/plugin-graphql-extension.ts), on a small realtime
 * schema: every subscription field whose types plugin-graphql has is added, the others are reported and left out,
 * support types are declared only when missing, and the resolvers never serve a subscription.
 */
import { describe, expect, it } from 'vitest';
import { GraphQLError, buildSchema, parse } from 'graphql';
import { pluginGraphqlSubscriptions } from '../../src/schema/plugin-graphql-extension';

const REALTIME = buildSchema(`
  type Query { realtimeSubscriptions: [String!]! }
  scalar I18NLocaleCode
  enum PublicationStatus { DRAFT PUBLISHED }
  type Article { documentId: ID! title: String! }
  input ArticleFiltersInput { title: String }
  type Secret { documentId: ID! }
  type DocumentReference { documentId: ID! locale: I18NLocaleCode }
  type Subscription {
    "Article was created."
    articleCreated(documentId: ID, filters: ArticleFiltersInput, locale: I18NLocaleCode, status: PublicationStatus = PUBLISHED): Article!
    articleDeleted(documentId: ID, locale: I18NLocaleCode): DocumentReference!
    secretCreated(documentId: ID): Secret!
  }
`);

const PLUGIN_TYPES = new Set(['Article', 'ArticleFiltersInput', 'PublicationStatus', 'I18NLocaleCode']);
const extend = (has: (name: string) => boolean = (name) => PLUGIN_TYPES.has(name)) =>
  pluginGraphqlSubscriptions(REALTIME, has, 'Subscribe over WebSocket.');

describe('plugin-graphql extension', () => {
  it('adds the fields whose types plugin-graphql has, with their arguments, defaults and descriptions', () => {
    const { added, extension } = extend();
    expect(added).toEqual(['articleCreated', 'articleDeleted']);
    expect(extension.typeDefs).toContain('"""Article was created."""');
    expect(extension.typeDefs).toContain(
      'articleCreated(documentId: ID, filters: ArticleFiltersInput, locale: I18NLocaleCode, status: PublicationStatus = PUBLISHED): Article!',
    );
    expect(() => parse(extension.typeDefs)).not.toThrow();
  });

  it('leaves out a field whose type plugin-graphql lacks (shadow CRUD disabled), and says which', () => {
    expect(extend().skipped).toEqual([{ field: 'secretCreated', missing: ['Secret'] }]);
    expect(extend().extension.typeDefs).not.toContain('secretCreated');
  });

  it('declares DocumentReference, and PublicationStatus / I18NLocaleCode only when plugin-graphql has none', () => {
    const withTypes = extend().extension.typeDefs;
    expect(withTypes).toContain('type DocumentReference');
    expect(withTypes).not.toContain('enum PublicationStatus');
    expect(withTypes).not.toContain('scalar I18NLocaleCode');
    const bare = extend((name) => name === 'Article' || name === 'ArticleFiltersInput').extension.typeDefs;
    expect(bare).toContain('enum PublicationStatus');
    expect(bare).toContain('scalar I18NLocaleCode');
  });

  it('plugin-graphql runs none of them: subscribe and resolve answer where to subscribe; its auth check is off', () => {
    const { extension } = extend();
    const field = extension.resolvers.Subscription.articleCreated;
    expect(() => field.subscribe()).toThrow(GraphQLError);
    expect(() => field.resolve()).toThrow('Subscribe over WebSocket.');
    expect(extension.resolversConfig).toEqual({ 'Subscription.articleCreated': { auth: false }, 'Subscription.articleDeleted': { auth: false } });
  });

  it('adds only the reference fields when plugin-graphql has no content type of ours, and nothing without subscriptions', () => {
    expect(extend(() => false).added).toEqual(['articleDeleted']);
    const noSubscriptions = buildSchema('type Query { realtimeSubscriptions: [String!]! }');
    expect(pluginGraphqlSubscriptions(noSubscriptions, () => true, '')).toMatchObject({ added: [], extension: { typeDefs: '' } });
  });
});
