/** Must NOT compile: variables are typed by the operation (each marked line fails with exactly that code). */
import { useSubscription as useApolloSubscription } from '@apollo/client/react';
import { useSubscription as useUrqlSubscription } from 'urql';
import { ArticleCreatedDocument, ArticleUpdatedDocument } from '../../../generated/graphql';
import { createSocketClient } from '../../../client/socket/index';

export function useApollo() {
  useApolloSubscription(ArticleUpdatedDocument, { variables: { documentId: 42 } }); // expect-error TS2322
  useApolloSubscription(ArticleCreatedDocument, { variables: { status: 'ARCHIVED' } }); // expect-error TS2322
}

export function useUrql() {
  useUrqlSubscription({ query: ArticleUpdatedDocument, variables: { filters: { views: { gt: 'ten' } } } }); // expect-error TS2322
}

export async function socket() {
  const client = createSocketClient({ url: 'http://localhost:1337' });
  await client.subscribeEntity({ uid: 'article', id: 1 }); // expect-error TS2322
}
