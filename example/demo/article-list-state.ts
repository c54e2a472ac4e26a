import type { DemoArticleFragment } from '../../generated/graphql';

/** Cards the page keeps: the latest published articles. */
export const LIST_SIZE = 8;

/** One change of the list, as the subscriptions report it. */
export type ArticleEvent =
  | { kind: 'created' | 'published'; article: DemoArticleFragment }
  | { kind: 'updated'; article: DemoArticleFragment }
  | { kind: 'unpublished' | 'deleted'; documentId: string };

/**
 * The list after one event, newest first. Creations and publications come in at the top, updates change the card
 * in place (or bring an older article into the list), unpublications and deletions remove it. Pure, so the page
 * and its unit test share it.
 */
export const applyArticleEvent = (list: readonly DemoArticleFragment[], event: ArticleEvent): DemoArticleFragment[] => {
  switch (event.kind) {
    case 'created':
    case 'published':
      return [event.article, ...list.filter(({ documentId }) => documentId !== event.article.documentId)].slice(0, LIST_SIZE);
    case 'updated': {
      const index = list.findIndex(({ documentId }) => documentId === event.article.documentId);
      if (index === -1) return [event.article, ...list].slice(0, LIST_SIZE);
      return list.map((article, at) => (at === index ? event.article : article));
    }
    case 'unpublished':
    case 'deleted':
      return list.filter(({ documentId }) => documentId !== event.documentId);
  }
};
