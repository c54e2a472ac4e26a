/**
 * `strapi-plugin-realtime/client/urql`: urql integration. Queries and mutations keep going to
 * @strapi/plugin-graphql over HTTP (`fetchExchange`); subscriptions to the realtime client:
 * `exchanges: [cacheExchange, fetchExchange, realtimeExchange(realtime)]`.
 */
import { subscriptionExchange, type Exchange } from '@urql/core';
import { resolveRealtimeClient, type RealtimeClientOrOptions } from '../resolve-client.js';

/**
 * urql's subscriptionExchange on a RealtimeClient (WebSocket or its SSE fallback alike). Only subscriptions
 * are forwarded: the realtime endpoint serves the subscription schema, not Strapi's queries and mutations.
 */
export const realtimeExchange = (realtime: RealtimeClientOrOptions): Exchange => {
  const client = resolveRealtimeClient(realtime);
  return subscriptionExchange({
    forwardSubscription: (request) => ({
      subscribe: (sink) => ({
        unsubscribe: client.subscribe(
          { query: request.query ?? '', variables: request.variables, operationName: request.operationName, extensions: request.extensions },
          sink,
        ),
      }),
    }),
  });
};
