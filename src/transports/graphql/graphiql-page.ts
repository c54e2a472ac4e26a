import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

/**
 * What the page needs and nothing more: GraphiQL is one inline script and stylesheet, its editor workers are
 * `blob:` URLs, its icons `data:` URLs, and it only talks to this server (queries over HTTP, subscriptions over
 * SSE). Strapi's own CSP (`strapi::security`) forbids the blob workers; this one replaces it on the page only.
 */
export const GRAPHIQL_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' blob:",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'self'",
].join('; ');

/** A browser opening the endpoint (a GraphQL client never asks for HTML). */
export const isGraphiqlRequest = (method: string, accept: string | undefined): boolean => method === 'GET' && (accept ?? '').includes('text/html');

/**
 * GraphiQL (development) on the SSE endpoint: introspection and queries go to the same URL as plain GraphQL over
 * HTTP, subscriptions as graphql-sse event streams (distinct connections), so the page works without a WebSocket.
 */
export const renderGraphiqlPage = (options: { endpoint: string; exampleSubscription: string }): string =>
  renderGraphiQL({
    endpoint: options.endpoint,
    title: 'strapi-plugin-realtime',
    defaultQuery: options.exampleSubscription,
    subscriptionsProtocol: 'GRAPHQL_SSE',
  });
