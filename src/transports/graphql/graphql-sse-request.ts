/** graphql-sse's stream token header and query parameter (single connection mode). */
const TOKEN_HEADER = 'x-graphql-event-stream-token';
const TOKEN_QUERY = 'token';

/**
 * Whether a request speaks the graphql-sse protocol, decided the way graphql-sse's own handler decides: an
 * event stream (`accept: text/event-stream`, either mode), a stream reservation or an operation's completion
 * (`PUT`, `DELETE`), or an operation sent on a reserved stream (its token in a header or the query string).
 *
 * Everything else is plain GraphQL over HTTP (GraphiQL's introspection query, a one-off query) and is left to
 * yoga: sent to the graphql-sse handler, a plain POST would be answered `404 Stream not found`.
 */
export const isGraphqlSseRequest = (request: Request): boolean => {
  if (request.method === 'PUT' || request.method === 'DELETE') return true;
  if ((request.headers.get('accept') ?? '').trim() === 'text/event-stream') return true;
  if (request.headers.has(TOKEN_HEADER)) return true;
  return new URL(request.url, 'http://localhost/').searchParams.has(TOKEN_QUERY);
};
