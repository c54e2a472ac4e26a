import { GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { checkDocumentLimits, type DocumentLimits } from './document-limits';

/** A document that parsed, stayed within the limits and validated, or the errors that refuse it. */
export type Checked = { document: DocumentNode; errors: readonly [] } | { document: null; errors: readonly GraphQLError[] };
export type DocumentCheck = (query: string) => Checked;

export interface DocumentCheckOptions extends DocumentLimits {
  /** Longest accepted document text, in bytes of UTF-8. */
  maxBytes: number;
  /** Lexical tokens the parser reads before giving up (a bound on parse time and AST size). */
  maxTokens: number;
}

/** Documents kept, and the total text they may have (a parsed AST is tens of times its text: this bounds memory). */
const CACHE_ENTRIES = 500;
const CACHE_TEXT_BYTES = 512 * 1024;

const refusal = (message: string, code: string): Checked => ({ document: null, errors: [new GraphQLError(message, { extensions: { code } })] });

/**
 * Parses and validates a client's document in bounded time, and caches the ones that validated, least recently
 * used first out, within a byte budget: thousands of clients usually send the same few subscriptions, each is
 * parsed and validated once and one AST is shared. Documents that fail are never cached (a flood of distinct bad
 * documents costs CPU per request, linear in their size, and no memory).
 * Order: size, parse with a token ceiling, the limits (linear, memoized per fragment), then GraphQL's own rules.
 */
export const createDocumentCache = (schema: GraphQLSchema, rules: readonly ValidationRule[], options: DocumentCheckOptions): DocumentCheck => {
  const cache = new Map<string, DocumentNode>();
  let cachedBytes = 0;

  const remember = (query: string, document: DocumentNode) => {
    if (query.length > CACHE_TEXT_BYTES / 4) return;
    cache.set(query, document);
    cachedBytes += query.length;
    for (const [oldest] of cache) {
      if (cache.size <= CACHE_ENTRIES && cachedBytes <= CACHE_TEXT_BYTES) break;
      cache.delete(oldest);
      cachedBytes -= oldest.length;
    }
  };

  return (query) => {
    const hit = cache.get(query);
    if (hit) {
      cache.delete(query);
      cache.set(query, hit);
      return { document: hit, errors: [] };
    }
    if (typeof query !== 'string' || query.length === 0) return refusal('The document is empty.', 'BAD_REQUEST');
    if (Buffer.byteLength(query) > options.maxBytes) {
      return refusal(`The document is larger than ${options.maxBytes} bytes.`, 'DOCUMENT_TOO_LARGE');
    }
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: options.maxTokens });
    } catch (error) {
      return { document: null, errors: [error instanceof GraphQLError ? error : new GraphQLError('The document could not be parsed.')] };
    }
    const limitErrors = checkDocumentLimits(document, options);
    if (limitErrors.length > 0) return { document: null, errors: limitErrors };
    const errors = validate(schema, document, rules);
    if (errors.length > 0) return { document: null, errors };
    remember(query, document);
    return { document, errors: [] };
  };
};
