import type { DemoArticleFragment } from '../../generated/graphql';
import { LIST_SIZE } from './article-list-state';

/** An article as Strapi 5's REST API returns it with the query below (flat entries, `category` populated). */
interface RestArticle {
  documentId: string;
  title: string;
  summary: string | null;
  publishedAt: string | null;
  updatedAt: string | null;
  category: { name: string } | null;
}

const LATEST_QUERY = new URLSearchParams({
  sort: 'publishedAt:desc',
  'pagination[pageSize]': String(LIST_SIZE),
  'fields[0]': 'title',
  'fields[1]': 'summary',
  'fields[2]': 'publishedAt',
  'fields[3]': 'updatedAt',
  'populate[category][fields][0]': 'name',
});

/** The same fields the subscriptions select (the DemoArticle fragment), so REST and events render alike. */
const toDemoArticle = (entry: RestArticle): DemoArticleFragment => ({
  documentId: entry.documentId,
  title: entry.title,
  summary: entry.summary,
  publishedAt: entry.publishedAt,
  updatedAt: entry.updatedAt,
  category: entry.category ? { name: entry.category.name } : null,
});

/** The first page of the list, over REST as the Public role: the subscriptions carry every change after it. */
export const fetchLatestArticles = async (origin: string): Promise<DemoArticleFragment[]> => {
  const response = await fetch(`${origin}/api/articles?${LATEST_QUERY}`);
  if (!response.ok) throw new Error(`GET /api/articles answered ${response.status}`);
  const body = (await response.json()) as { data: RestArticle[] };
  return body.data.map(toDemoArticle);
};
