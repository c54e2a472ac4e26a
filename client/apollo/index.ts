/**
 * `strapi-plugin-realtime/client/apollo`: Apollo Client 4 integration. Subscriptions go to the realtime client
 * (graphql-ws, or its SSE fallback); queries and mutations to @strapi/plugin-graphql over HTTP.
 */
import { ApolloLink, HttpLink } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { isSubscriptionOperation } from '@apollo/client/utilities';
import { resolveRealtimeClient, type RealtimeClientOrOptions } from '../resolve-client.js';
import { RealtimeLink } from './realtime-link.js';

export { RealtimeLink } from './realtime-link.js';

export interface RealtimeApolloLinkOptions {
  /** Queries and mutations: @strapi/plugin-graphql's endpoint (`http://localhost:1337/graphql`). */
  httpUrl: string;
  /** The realtime client subscriptions run on, or its options (`{ url, getToken, sseUrl }`). */
  realtime: RealtimeClientOrOptions;
  /** Further HttpLink options (`fetch`, `credentials`, `headers`, ...). */
  httpLinkOptions?: Omit<HttpLink.Options, 'uri'>;
  /**
   * Send the realtime client's token as `Authorization: Bearer <token>` on HTTP requests too, so queries and
   * subscriptions see the same permissions (default `true`).
   */
  authorizeHttp?: boolean;
}

export const createApolloLink = (options: RealtimeApolloLinkOptions): ApolloLink => {
  const realtime = resolveRealtimeClient(options.realtime);
  const http = new HttpLink({ uri: options.httpUrl, ...options.httpLinkOptions });
  const authorize = new SetContextLink(async (context) => {
    const token = await realtime.getToken();
    return token ? { headers: { ...context.headers, authorization: `Bearer ${token}` } } : {};
  });
  return ApolloLink.split(
    ({ query }) => isSubscriptionOperation(query),
    new RealtimeLink(realtime),
    options.authorizeHttp === false ? http : ApolloLink.from([authorize, http]),
  );
};
