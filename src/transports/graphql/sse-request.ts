import type { IncomingHttpHeaders } from 'node:http';

/** The GraphQL-over-HTTP parameters of one request, as the graphql-sse protocol sends them. */
export interface GraphqlParams {
  query: string;
  operationName: string | null;
  variables: Record<string, unknown> | null;
  extensions: Record<string, unknown> | null;
}

export type ParsedParams = { ok: true; params: GraphqlParams } | { ok: false; status: 400 | 415; message: string };

/** graphql-sse's header (and query parameter) carrying a single-connection stream's token. */
export const STREAM_TOKEN_HEADER = 'x-graphql-event-stream-token';
export const STREAM_TOKEN_QUERY = 'token';

const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

const parseJsonParam = (text: string | null, name: string): Record<string, unknown> | null => {
  if (text === null || text === '') return null;
  const value: unknown = JSON.parse(text);
  if (value !== null && !isObject(value)) throw new Error(`Invalid ${name}`);
  return value;
};

const header = (headers: IncomingHttpHeaders, name: string): string | null => {
  const value = headers[name];
  return (Array.isArray(value) ? value.join(',') : value) ?? null;
};

/** The stream token of a single-connection request, from its header or its query string. */
export const streamTokenOf = (headers: IncomingHttpHeaders, url: URL): string | null =>
  header(headers, STREAM_TOKEN_HEADER) || url.searchParams.get(STREAM_TOKEN_QUERY) || null;

/** Whether the client asks for an event stream (graphql-sse clients send exactly `text/event-stream`). */
export const acceptsEventStream = (headers: IncomingHttpHeaders) => (header(headers, 'accept') ?? '').includes('text/event-stream');

/**
 * Reads `query`, `operationName`, `variables` and `extensions` from a GET's query string or a POST's JSON body
 * (already parsed by Strapi's body middleware). Anything else is refused with the status graphql-sse uses.
 */
export const parseGraphqlParams = (request: { method: string; url: URL; headers: IncomingHttpHeaders; body: unknown }): ParsedParams => {
  try {
    let raw: Record<string, unknown>;
    if (request.method === 'GET') {
      const search = request.url.searchParams;
      raw = {
        query: search.get('query'),
        operationName: search.get('operationName'),
        variables: parseJsonParam(search.get('variables'), 'variables'),
        extensions: parseJsonParam(search.get('extensions'), 'extensions'),
      };
    } else if (request.method === 'POST' && (header(request.headers, 'content-type') ?? '').includes('application/json')) {
      if (!isObject(request.body)) return { ok: false, status: 400, message: 'JSON body must be an object' };
      raw = request.body;
    } else {
      return { ok: false, status: 415, message: 'Unsupported Media Type: send JSON' };
    }
    if (raw.query === null || raw.query === undefined) return { ok: false, status: 400, message: 'Missing query' };
    if (typeof raw.query !== 'string') return { ok: false, status: 400, message: 'Invalid query' };
    if (raw.operationName !== null && raw.operationName !== undefined && typeof raw.operationName !== 'string') {
      return { ok: false, status: 400, message: 'Invalid operationName' };
    }
    if (raw.variables !== null && raw.variables !== undefined && !isObject(raw.variables)) return { ok: false, status: 400, message: 'Invalid variables' };
    if (raw.extensions !== null && raw.extensions !== undefined && !isObject(raw.extensions)) return { ok: false, status: 400, message: 'Invalid extensions' };
    return {
      ok: true,
      params: {
        query: raw.query,
        operationName: (raw.operationName as string | undefined) ?? null,
        variables: (raw.variables as Record<string, unknown> | undefined) ?? null,
        extensions: (raw.extensions as Record<string, unknown> | undefined) ?? null,
      },
    };
  } catch {
    return { ok: false, status: 400, message: 'Unparsable request parameters' };
  }
};
