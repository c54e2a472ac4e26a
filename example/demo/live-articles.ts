import type { RealtimeClient, RealtimeRequest } from '../../client/index.js';
import {
  DemoArticleCreatedDocument,
  DemoArticleDeletedDocument,
  DemoArticlePublishedDocument,
  DemoArticleUnpublishedDocument,
  DemoArticleUpdatedDocument,
} from '../../generated/graphql';
import type { ArticleEvent } from './article-list-state';

/**
 * The five article subscriptions of the list, on one realtime client (one WebSocket, or SSE streams after a
 * fallback). Every result is typed by its generated document. Returns the function that stops them all.
 */
export const subscribeToArticles = (
  client: RealtimeClient,
  onEvent: (event: ArticleEvent) => void,
  onError: (message: string) => void,
): (() => void) => {
  // `data` is typed by the generated document of each subscription.
  const listen = <TData, TVariables>(request: RealtimeRequest<TData, TVariables>, toEvent: (data: TData) => ArticleEvent) =>
    client.subscribe(request, {
      next: (result) => {
        if (result.data) onEvent(toEvent(result.data));
        else onError(result.errors?.map((error) => error.message).join('; ') ?? 'empty result');
      },
      error: (error) => onError(error instanceof Error ? error.message : JSON.stringify(error)),
      complete: () => undefined,
    });

  const stops = [
    listen({ query: DemoArticleCreatedDocument }, (data) => ({ kind: 'created', article: data.articleCreated })),
    listen({ query: DemoArticleUpdatedDocument }, (data) => ({ kind: 'updated', article: data.articleUpdated })),
    listen({ query: DemoArticlePublishedDocument }, (data) => ({ kind: 'published', article: data.articlePublished })),
    listen({ query: DemoArticleUnpublishedDocument }, (data) => ({ kind: 'unpublished', documentId: data.articleUnpublished.documentId })),
    listen({ query: DemoArticleDeletedDocument }, (data) => ({ kind: 'deleted', documentId: data.articleDeleted.documentId })),
  ];
  return () => stops.forEach((stop) => stop());
};
