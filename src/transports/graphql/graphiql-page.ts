import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

/** GraphiQL (development), served on the SSE path to browsers, running subscriptions over GraphQL over SSE. */
export const renderGraphiqlPage = (options: { endpoint: string; exampleQuery: string }): string =>
  renderGraphiQL({
    endpoint: options.endpoint,
    title: 'strapi-plugin-realtime',
    defaultQuery: options.exampleQuery,
    subscriptionsProtocol: 'GRAPHQL_SSE',
  } as never);
