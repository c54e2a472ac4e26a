import { parse, validate, type DocumentNode, type GraphQLError, type GraphQLSchema, type ValidationRule } from 'graphql';

/** A document that parsed and validated, or the errors that refuse it. */
export type Checked = { document: DocumentNode; errors: readonly [] } | { document: null; errors: readonly GraphQLError[] };
export type DocumentCheck = (query: string) => Checked;

/**
 * Parsed and validated documents by query text, least recently used first out. Thousands of clients usually
 * send the same few subscriptions: each is parsed and validated once, and one AST is shared.
 */
export const createDocumentCache = (schema: GraphQLSchema, rules: readonly ValidationRule[], size = 500): DocumentCheck => {
  const cache = new Map<string, Checked>();
  return (query: string): Checked => {
    const hit = cache.get(query);
    if (hit) {
      cache.delete(query);
      cache.set(query, hit);
      return hit;
    }
    let checked: Checked;
    try {
      const document = parse(query);
      const errors = validate(schema, document, rules);
      checked = errors.length > 0 ? { document: null, errors } : { document, errors: [] };
    } catch (error) {
      checked = { document: null, errors: [error as GraphQLError] };
    }
    cache.set(query, checked);
    if (cache.size > size) cache.delete(cache.keys().next().value!);
    return checked;
  };
};
