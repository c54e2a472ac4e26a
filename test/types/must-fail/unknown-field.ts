/**
 * Must NOT compile: reading fields that no operation selected or that the schema does not have. Each line
 * marked `expect-error` must fail with exactly that code, and nothing else may fail.
 */
import { useSubscription as useApolloSubscription } from '@apollo/client/react';
import { useSubscription as useUrqlSubscription } from 'urql';
import { ArticleCreatedDocument, ArticleDeletedDocument } from '../../../generated/graphql';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../generated/socket-events';
import { createRealtimeClient } from '../../../client/index';
import { createSocketClient } from '../../../client/socket/index';

export function useApolloFeed() {
  const { data } = useApolloSubscription(ArticleCreatedDocument);
  return data?.articleCreated.subtitle; // expect-error TS2339
}

export function useUrqlFeed() {
  const [result] = useUrqlSubscription({ query: ArticleCreatedDocument });
  // `summary` exists in the schema, but ArticleCreated does not select it.
  return result.data?.articleCreated.summary; // expect-error TS2339
}

export function realtime() {
  const client = createRealtimeClient({ url: 'ws://localhost:1337/graphql' });
  return client.subscribe(
    { query: ArticleDeletedDocument },
    {
      next: (result) => result.data?.articleDeleted.title, // expect-error TS2339
      error: () => undefined,
      complete: () => undefined,
    },
  );
}

export function socket() {
  const client = createSocketClient<ServerToClientEvents, ClientToServerEvents>({ url: 'http://localhost:1337' });
  // `category` is a relation the example's Socket.IO payload does not populate.
  client.on('article:create', (article) => article.category); // expect-error TS2339
  client.on('article:created', () => undefined); // expect-error TS2345
}
