/**
 * Must NOT compile: `internalNotes` is a private attribute of Article. It is in no generated type, so no client
 * can even ask for it (each marked line must fail with exactly that code).
 */
import { useSubscription as useApolloSubscription } from '@apollo/client/react';
import { useSubscription as useUrqlSubscription } from 'urql';
import { ArticleCreatedDocument, type Article } from '../../../generated/graphql';
import type { ServerToClientEvents, SocketEventPayload } from '../../../generated/socket-events';
import { createSocketClient } from '../../../client/socket/index';

export function useApolloFeed() {
  const { data } = useApolloSubscription(ArticleCreatedDocument);
  return data?.articleCreated.internalNotes; // expect-error TS2339
}

export function useUrqlFeed() {
  const [result] = useUrqlSubscription({ query: ArticleCreatedDocument });
  return result.data?.articleCreated.internalNotes; // expect-error TS2339
}

export type SchemaNotes = Article['internalNotes']; // expect-error TS2339
export type SocketNotes = SocketEventPayload<'article:update'>['internalNotes']; // expect-error TS2339

export function socket() {
  const client = createSocketClient<ServerToClientEvents>({ url: 'http://localhost:1337' });
  client.on('article:publish', (article) => article.internalNotes); // expect-error TS2339
}
