import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient as createWsClient } from 'graphql-ws';
import { ApolloClient, InMemoryCache, gql } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { Client as UrqlClient, subscriptionExchange } from '@urql/core';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { createApiToken, grant, type TestApiToken } from '../harness/principals';
import { expectOk, rest } from '../harness/rest';
import { connectSse } from '../harness/graphql-clients';
import { settle, waitFor } from '../harness/wait';
import { READ_EVERYTHING } from '../harness/permission-matrix';

const SUBSCRIPTION = `subscription OnArticle { articleCreated { documentId title category { name } } }`;

describe('real GraphQL clients receive typed events from REST writes', () => {
  let app: ExampleApp;
  let admin: TestApiToken;
  const cleanups: (() => void)[] = [];
  const createArticle = async (title: string) => {
    const category = expectOk(await rest(app, 'POST', '/api/categories', { token: admin.accessKey, body: { data: { name: `${title} category` } } }), 'category').data;
    return expectOk(
      await rest(app, 'POST', '/api/articles', { token: admin.accessKey, body: { data: { title, internalNotes: 'PRIVATE', category: category.documentId } } }),
      'article',
    ).data;
  };

  beforeAll(async () => {
    app = await bootExample({ realtimeConfig: { socket: { enabled: false } } });
    admin = await createApiToken(app.strapi, 'full-access');
    await grant(app.strapi, 'public', READ_EVERYTHING);
  });
  afterAll(async () => {
    for (const cleanup of cleanups) cleanup();
    await app?.stop();
  });

  it('Apollo Client 4 with GraphQLWsLink', async () => {
    const wsClient = createWsClient({ url: `${app.wsUrl}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
    const client = new ApolloClient({ link: new GraphQLWsLink(wsClient), cache: new InMemoryCache() });
    const received: any[] = [];
    const subscription = client.subscribe({ query: gql(SUBSCRIPTION) }).subscribe({ next: (result) => received.push(result.data) });
    cleanups.push(() => {
      subscription.unsubscribe();
      void wsClient.dispose();
    });
    await settle(300);
    const article = await createArticle('Apollo');
    await waitFor(() => received.length > 0, 'an Apollo result');
    expect(received[0]).toEqual({
      articleCreated: { __typename: 'Article', documentId: article.documentId, title: 'Apollo', category: { __typename: 'Category', name: 'Apollo category' } },
    });
  });

  it('urql with subscriptionExchange over graphql-ws', async () => {
    const wsClient = createWsClient({ url: `${app.wsUrl}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
    const client = new UrqlClient({
      url: `${app.httpUrl}/graphql`,
      exchanges: [
        subscriptionExchange({
          forwardSubscription(request) {
            const input = { ...request, query: request.query || '' };
            return { subscribe: (sink) => ({ unsubscribe: wsClient.subscribe(input, sink) }) };
          },
        }),
      ],
    });
    const received: any[] = [];
    const { unsubscribe } = client.subscription(SUBSCRIPTION, {}).subscribe((result) => received.push(result.data));
    cleanups.push(() => {
      unsubscribe();
      void wsClient.dispose();
    });
    await settle(300);
    const article = await createArticle('urql');
    await waitFor(() => received.length > 0, 'an urql result');
    expect(received[0].articleCreated).toMatchObject({ documentId: article.documentId, title: 'urql', category: { name: 'urql category' } });
  });

  it('graphql-sse in distinct connections mode and in single connection mode', async () => {
    const distinct = connectSse(app);
    const single = connectSse(app, { singleConnection: true });
    cleanups.push(() => distinct.dispose(), () => single.dispose());
    const a = distinct.subscribe(SUBSCRIPTION);
    const b = single.subscribe(SUBSCRIPTION);
    await settle(500);
    const article = await createArticle('SSE');
    const [first] = await a.waitForResults(1);
    const [second] = await b.waitForResults(1);
    for (const result of [first, second]) {
      expect(result.data.articleCreated).toEqual({ documentId: article.documentId, title: 'SSE', category: { name: 'SSE category' } });
      expect(JSON.stringify(result)).not.toContain('PRIVATE');
    }
  });

  it('SSE refuses a bad token with 401 and a clear error', async () => {
    const response = await fetch(`${app.httpUrl}/graphql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: 'Bearer nope' },
      body: JSON.stringify({ query: SUBSCRIPTION }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ errors: [{ message: 'Forbidden: Invalid token', extensions: { code: 'INVALID_TOKEN' } }] });
  });

  it('SSE answers malformed requests and invalid documents with 400 and GraphQL errors', async () => {
    const post = (body: string) =>
      fetch(`${app.httpUrl}/graphql/stream`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body });
    const malformed = await post('{not json');
    expect(malformed.status).toBe(400);
    const syntax = await post(JSON.stringify({ query: 'subscription { articleCreated { title ' }));
    expect(syntax.status).toBe(400);
    expect(JSON.stringify(await syntax.json())).toMatch(/Syntax Error/);
    const privateField = await post(JSON.stringify({ query: 'subscription { articleCreated { internalNotes } }' }));
    expect(privateField.status).toBe(400);
    const privateErrors = (await privateField.json()).errors;
    expect(privateErrors).toHaveLength(1);
    expect(privateErrors[0].message).toMatch(/Cannot query field "internalNotes"/);
    const deep = await post(JSON.stringify({ query: 'subscription { articleCreated { category { articles { category { articles { category { articles { category { articles { category { articles { title } } } } } } } } } } } }' }));
    expect(deep.status).toBe(400);
    expect((await deep.json()).errors[0].extensions.code).toBe('DEPTH_LIMIT_EXCEEDED');
  });

  it('serves GraphiQL in development and the SDL over HTTP', async () => {
    const page = await fetch(`${app.httpUrl}/graphql/stream`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('GraphiQL');
    const sdl = await fetch(`${app.httpUrl}/graphql/schema.graphql`);
    const text = await sdl.text();
    expect(text).toContain('articleCreated(');
    expect(text).not.toContain('internalNotes');
    expect(await (await fetch(`${app.httpUrl}/graphql/schema.graphql`)).text()).toBe(text);
  });

  it('@strapi/plugin-graphql keeps serving queries over HTTP on /graphql next to the WebSocket endpoint', async () => {
    const response = await fetch(`${app.httpUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ articles { title } }' }),
    });
    expect(response.status).toBe(200);
    expect((await response.json()).data.articles).toEqual(expect.arrayContaining([expect.objectContaining({ title: 'Apollo' })]));
  });
});
