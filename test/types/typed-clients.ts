/**
 * Must compile: the generated documents give typed `data` and `variables` to Apollo's and urql's
 * `useSubscription` and to the realtime client; the generated event map types socket.io payloads.
 * (Never run: compiled by test/unit/types.test.ts and by the root tsconfig.)
 */
import { useSubscription as useApolloSubscription } from '@apollo/client/react';
import { useSubscription as useUrqlSubscription } from 'urql';
import {
  ArticleCreatedDocument,
  ArticleDeletedDocument,
  ArticleUpdatedDocument,
  HomepageUpdatedDocument,
  type ArticleCardFragment,
  type ArticleCreatedSubscription,
  type Enum_Article_Kind,
} from '../../generated/graphql';
import type { ClientToServerEvents, ServerToClientEvents, SocketEventPayload } from '../../generated/socket-events';
import { createRealtimeClient } from '../../client/index';
import { createSocketClient } from '../../client/socket/index';
import { expectType, type Equal } from './type-assert';

export function useApolloFeed() {
  const { data } = useApolloSubscription(ArticleCreatedDocument, { variables: { status: 'DRAFT' } });
  expectType<Equal<NonNullable<typeof data>, ArticleCreatedSubscription>>();
  const article = data?.articleCreated;
  expectType<Equal<typeof article, ArticleCreatedSubscription['articleCreated'] | undefined>>();
  const title: string | undefined = article?.title;
  const categoryName: string | undefined = article?.category?.name;
  const tagNames: string[] = article?.tags.flatMap((tag) => (tag ? [tag.name] : [])) ?? [];
  const kind: Enum_Article_Kind | null | undefined = article?.kind;
  const publishDate: string | null | undefined = article?.publishDate;
  const metadata: unknown = article?.metadata;
  return { title, categoryName, tagNames, kind, publishDate, metadata, cover: article?.cover?.url };
}

export function useApolloArticle(documentId: string) {
  const { data } = useApolloSubscription(ArticleUpdatedDocument, {
    variables: { documentId, filters: { title: { containsi: 'strapi' }, or: [{ views: { gt: 10 } }, { featured: { eq: true } }] } },
  });
  // Fields selected through the ArticleCard fragment are plain fields (fragment masking is off).
  const card: ArticleCardFragment | undefined = data?.articleUpdated;
  return { card, updatedAt: data?.articleUpdated.updatedAt };
}

export function useUrqlFeed() {
  const [deleted] = useUrqlSubscription({ query: ArticleDeletedDocument, variables: { documentId: 'abc' } });
  const documentId: string | undefined = deleted.data?.articleDeleted.documentId;
  const locale: string | null | undefined = deleted.data?.articleDeleted.locale;
  const [homepage] = useUrqlSubscription({ query: HomepageUpdatedDocument });
  const headlines: Array<string | null | undefined> = homepage.data?.homepageUpdated.featured.map((article) => article?.title) ?? [];
  return { documentId, locale, headlines };
}

export async function realtimeClient() {
  const client = createRealtimeClient({ url: 'ws://localhost:1337/graphql', getToken: () => 'jwt', sseUrl: 'http://localhost:1337/graphql/stream' });
  const stop = client.subscribe(
    { query: ArticleUpdatedDocument, variables: { documentId: 'abc' } },
    { next: (result) => result.data?.articleUpdated.title.toUpperCase(), error: () => undefined, complete: () => undefined },
  );
  for await (const _result of client.iterate({ query: ArticleCreatedDocument })) {
    expectType<Equal<typeof _result.data, ArticleCreatedSubscription | null | undefined>>();
    break;
  }
  stop();
}

export async function typedSocket() {
  const socket = createSocketClient<ServerToClientEvents, ClientToServerEvents>({ url: 'http://localhost:1337', token: 'jwt', strategy: 'jwt' });
  socket.on('article:create', (article) => {
    const id: number = article.id;
    const title: string = article.title;
    expectType<Equal<typeof article.kind, 'news' | 'tutorial' | 'opinion' | null>>();
    expectType<Equal<typeof article.views, number | null>>();
    return { id, title, documentId: article.documentId, publishedAt: article.publishedAt };
  });
  socket.on('article:delete', (_reference) => {
    expectType<Equal<typeof _reference, { documentId: string; locale: string | null }>>();
  });
  expectType<Equal<SocketEventPayload<'category:update'>['name'], string>>();
  const ack = await socket.subscribeEntity({ uid: 'api::article.article', documentId: 'abc' });
  const room: string = ack.success ? ack.room : ack.error;
  await socket.unsubscribeEntity({ uid: 'api::article.article', id: 12 });
  return room;
}
