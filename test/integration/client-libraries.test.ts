/**
 * The client library against the real example app: Apollo Client 4 through createApolloLink, urql through
 * realtimeExchange and socket.io-client through createSocketClient each receive typed articles written over
 * REST, with the generated documents and event map. Three kinds of principal: an API token, a
 * users-permissions JWT and a read-only API token over Socket.IO (the Public role reads nothing here).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { generate } from '@graphql-codegen/cli';
import { ApolloClient, InMemoryCache, gql } from '@apollo/client';
import { Client as UrqlClient, fetchExchange } from '@urql/core';
import { createRealtimeClient, type RealtimeClient } from '../../client/index';
import { createApolloLink } from '../../client/apollo/index';
import { realtimeExchange } from '../../client/urql/index';
import { createSocketClient, type RealtimeSocket } from '../../client/socket/index';
import { ArticleCreatedDocument, ArticleUpdatedDocument, type ArticleCreatedSubscription, type ArticleUpdatedSubscription } from '../../generated/graphql';
import type { ArticleSocketPayload, ClientToServerEvents, ServerToClientEvents } from '../../generated/socket-events';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { createApiToken, grant, issueJwt, registerUser, type TestApiToken } from '../harness/principals';
import { expectOk, rest } from '../harness/rest';
import { READ_EVERYTHING } from '../harness/permission-matrix';
import { settle, waitFor } from '../harness/wait';

describe('client library with real clients', () => {
  let app: ExampleApp;
  let admin: TestApiToken;
  const cleanups: (() => unknown)[] = [];

  const write = async (method: string, path: string, data?: unknown) =>
    expectOk(await rest(app, method, path, { token: admin.accessKey, body: data === undefined ? undefined : { data } }), `${method} ${path}`).data;
  const realtime = (token: string): RealtimeClient => {
    const client = createRealtimeClient({ url: `${app.wsUrl}/graphql`, webSocketImpl: WebSocket, token, retry: { attempts: 0 } });
    cleanups.push(() => client.dispose());
    return client;
  };

  beforeAll(async () => {
    app = await bootExample();
    admin = await createApiToken(app.strapi, 'full-access');
    await grant(app.strapi, 'authenticated', READ_EVERYTHING);
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await app?.stop();
  });

  it("users' codegen setup: the SDL served over HTTP gives the same event map as the committed one", async () => {
    const [output] = await generate(
      {
        schema: `${app.httpUrl}/graphql/schema.graphql`,
        silent: true,
        generates: { 'socket-events.ts': { plugins: ['strapi-plugin-realtime/codegen/socket-events'], config: { typesImport: './graphql' } } },
        // Resolved as from an app that installed the package (here: the package resolving itself by name).
        pluginLoader: (name: string) => createRequire(resolve(__dirname, '../../package.json'))(name),
      },
      false,
    );
    expect(output.content).toBe(readFileSync(resolve(__dirname, '../../generated/socket-events.ts'), 'utf8'));
  });

  it('Apollo Client 4 with createApolloLink: typed subscription over WebSocket, queries over HTTP with the same token', async () => {
    const reader = await createApiToken(app.strapi, 'read-only');
    const client = new ApolloClient({
      link: createApolloLink({ httpUrl: `${app.httpUrl}/graphql`, realtime: realtime(reader.accessKey) }),
      cache: new InMemoryCache(),
    });
    const received: ArticleCreatedSubscription[] = [];
    // ArticleCreated declares `$status: PublicationStatus = PUBLISHED`: Apollo sends the default, an enum variable.
    const subscription = client.subscribe({ query: ArticleCreatedDocument }).subscribe({ next: ({ data }) => data && received.push(data) });
    cleanups.push(() => subscription.unsubscribe());
    await settle(300);

    const category = await write('POST', '/api/categories', { name: 'Apollo news' });
    const tag = await write('POST', '/api/tags', { name: 'typed' });
    const article = await write('POST', '/api/articles', {
      title: 'Typed with Apollo',
      views: 7,
      internalNotes: 'PRIVATE',
      category: category.documentId,
      tags: [tag.documentId],
    });
    await waitFor(() => received.length > 0, 'the Apollo result');
    const created = received[0].articleCreated;
    expect(created).toMatchObject({
      __typename: 'Article',
      documentId: article.documentId,
      title: 'Typed with Apollo',
      category: { __typename: 'Category', documentId: category.documentId, name: 'Apollo news' },
      tags: [{ __typename: 'Tag', name: 'typed' }],
      author: null,
      cover: null,
    });
    expect(typeof created.createdAt).toBe('string');
    expect(JSON.stringify(received)).not.toContain('PRIVATE');

    // The Public role reads nothing: this query only works because the link sent the token over HTTP too.
    const { data } = await client.query<{ articles: { title: string }[] }>({
      query: gql`
        query Titles {
          articles(filters: { title: { eq: "Typed with Apollo" } }) {
            title
          }
        }
      `,
    });
    expect(data?.articles).toEqual([{ __typename: 'Article', title: 'Typed with Apollo' }]);
  });

  it('urql with realtimeExchange: a typed subscription with variables (documentId) and a fragment', async () => {
    const user = await registerUser(app);
    const article = await write('POST', '/api/articles', { title: 'Before urql', views: 1 });
    const client = new UrqlClient({ url: `${app.httpUrl}/graphql`, exchanges: [fetchExchange, realtimeExchange(realtime(user.jwt))] });
    const received: ArticleUpdatedSubscription[] = [];
    const { unsubscribe } = client
      .subscription(ArticleUpdatedDocument, { documentId: article.documentId })
      .subscribe((result) => result.data && received.push(result.data));
    cleanups.push(unsubscribe);
    await settle(300);

    await write('PUT', '/api/articles/' + (await write('POST', '/api/articles', { title: 'Another article' })).documentId, { title: 'Not this one' });
    await write('PUT', `/api/articles/${article.documentId}`, { title: 'Updated for urql', featured: true });
    await waitFor(() => received.length > 0, 'the urql result');
    await settle(200);
    expect(received).toHaveLength(1);
    const updated = received[0].articleUpdated;
    // ArticleCard's fields (through the fragment) and the operation's own `updatedAt`.
    expect(updated).toMatchObject({ documentId: article.documentId, title: 'Updated for urql', featured: true, views: 1, category: null });
    expect(typeof updated.updatedAt).toBe('string');
  });

  it('createSocketClient: typed plugin-io events with an API token, and entity subscriptions with acks', async () => {
    const reader = await createApiToken(app.strapi, 'read-only');
    const socket: RealtimeSocket<ServerToClientEvents, ClientToServerEvents> = createSocketClient<ServerToClientEvents, ClientToServerEvents>({
      url: app.httpUrl,
      token: reader.accessKey,
      strategy: 'api-token',
      socketOptions: { transports: ['websocket'], reconnection: false },
    });
    cleanups.push(() => socket.close());
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const received: ArticleSocketPayload[] = [];
    socket.on('article:create', (article) => received.push(article));

    const category = await write('POST', '/api/categories', { name: 'Socket news' });
    const article = await write('POST', '/api/articles', { title: 'Typed over Socket.IO', views: 3, internalNotes: 'PRIVATE', category: category.documentId });
    await waitFor(() => received.some((payload) => payload.documentId === article.documentId), 'article:create');
    const payload = received.find((candidate) => candidate.documentId === article.documentId)!;
    expect(payload).toMatchObject({ id: article.id, documentId: article.documentId, title: 'Typed over Socket.IO', views: 3 });
    expect(typeof payload.id).toBe('number');
    // `category` is not in the example's populate (the generated type has no such key either); private fields never.
    expect(payload).not.toHaveProperty('category');
    expect(payload).not.toHaveProperty('internalNotes');

    const subscribed = await socket.subscribeEntity({ uid: 'api::article.article', documentId: article.documentId });
    expect(subscribed).toEqual({ success: true, room: `api::article.article:${article.documentId}`, uid: 'api::article.article', id: article.documentId });
    expect(await socket.getEntitySubscriptions()).toEqual({
      success: true,
      subscriptions: [{ uid: 'api::article.article', id: article.documentId, room: `api::article.article:${article.documentId}` }],
    });
    expect(await socket.unsubscribeEntity({ uid: 'api::article.article', documentId: article.documentId })).toMatchObject({ success: true });
    expect(await socket.subscribeEntity({ uid: 'api::nothing.nothing', id: 1 })).toEqual({ success: false, error: 'Content type not found' });
  });

  it('createSocketClient with getToken connects again with a fresh JWT after the server disconnects an expired one', async () => {
    const user = await registerUser(app);
    const issued: string[] = [];
    const socket = createSocketClient<ServerToClientEvents, ClientToServerEvents>({
      url: app.httpUrl,
      // The first token lives 2 to 3 s (JWT expiries are whole seconds); the next one outlives the test.
      getToken: () => {
        issued.push(issueJwt(app.strapi, user.id, issued.length === 0 ? 3 : 60));
        return issued[issued.length - 1];
      },
      socketOptions: { transports: ['websocket'] },
    });
    cleanups.push(() => socket.close());
    const connects: number[] = [];
    const disconnects: string[] = [];
    socket.on('connect', () => connects.push(Date.now()));
    socket.on('disconnect', (reason) => disconnects.push(reason));
    const titles: string[] = [];
    socket.on('article:create', (article) => titles.push(article.title));

    await waitFor(() => connects.length === 1, 'the first connection');
    await waitFor(() => connects.length === 2, 'the connection with the refreshed token', 5000);
    expect(disconnects).toEqual(['io server disconnect']);
    expect(issued).toHaveLength(2);
    await write('POST', '/api/articles', { title: 'After the socket token expired' });
    await waitFor(() => titles.includes('After the socket token expired'), 'an event on the new connection');
  });
});
