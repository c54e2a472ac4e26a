/**
 * createRealtimeClient against the real example app when things go wrong: the server closes a connection whose
 * JWT expired (the client reconnects with a fresh token, over WebSocket and over SSE), the WebSocket cannot be
 * opened (the client continues over SSE), and a credential that stays bad (the client gives up instead of
 * reconnecting forever).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createRealtimeClient, RealtimeConnectionError, type RealtimeClientOptions } from '../../client/index';
import { ArticleCreatedDocument, type ArticleCreatedSubscription } from '../../generated/graphql';
import { BlockedWebSocket } from '../harness/blocked-websocket';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { createApiToken, grant, issueJwt, registerUser, type TestApiToken, type TestUser } from '../harness/principals';
import { expectOk, rest } from '../harness/rest';
import { READ_EVERYTHING } from '../harness/permission-matrix';
import { settle, sleep, waitFor } from '../harness/wait';

/** ws, recording the graphql-ws messages the client sends (to see which token each connection_init carried). */
const sentMessages: { type: string; payload?: { authorization?: string } }[] = [];
class RecordingWebSocket extends WebSocket {
  override send(data: unknown, ...rest: unknown[]) {
    sentMessages.push(JSON.parse(String(data)));
    (super.send as (...args: unknown[]) => void)(data, ...rest);
  }
}

describe('realtime client resilience', () => {
  let app: ExampleApp;
  let admin: TestApiToken;
  let user: TestUser;
  const disposers: (() => Promise<void>)[] = [];
  const fast = { initialDelayMs: 50, maxDelayMs: 200 };

  const client = (options: Partial<RealtimeClientOptions>) => {
    const created = createRealtimeClient({ url: `${app.wsUrl}/graphql`, sseUrl: `${app.httpUrl}/graphql/stream`, retry: fast, ...options });
    disposers.push(() => created.dispose());
    return created;
  };
  const createArticle = async (title: string) =>
    expectOk(await rest(app, 'POST', '/api/articles', { token: admin.accessKey, body: { data: { title } } }), 'create article').data;
  /** Subscribes to ArticleCreated and records the titles it receives and its error. */
  const watchTitles = (realtime: ReturnType<typeof client>) => {
    const titles: string[] = [];
    const errors: unknown[] = [];
    const stop = realtime.subscribe(
      { query: ArticleCreatedDocument },
      {
        next: (result: { data?: ArticleCreatedSubscription | null }) => result.data && titles.push(result.data.articleCreated.title),
        error: (error) => errors.push(error),
        complete: () => undefined,
      },
    );
    return { titles, errors, stop };
  };

  beforeAll(async () => {
    app = await bootExample({ realtimeConfig: { socket: { enabled: false } } });
    admin = await createApiToken(app.strapi, 'full-access');
    user = await registerUser(app);
    // Only authenticated users read articles: an anonymous (Public) connection would receive nothing.
    await grant(app.strapi, 'authenticated', READ_EVERYTHING);
  });
  afterEach(async () => {
    for (const dispose of disposers.splice(0).reverse()) await dispose();
    vi.unstubAllGlobals();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('reconnects with a fresh token after the server closes the connection for an expired JWT (4403)', async () => {
    const issued: string[] = [];
    // The first token lives 3 s (2 to 3: JWT expiries are whole seconds); the refreshed ones outlive the test.
    const getToken = () => {
      const token = issueJwt(app.strapi, user.id, issued.length === 0 ? 3 : 60);
      issued.push(token);
      return token;
    };
    const connected: boolean[] = [];
    const closed: { code: number; reason: string }[] = [];
    sentMessages.length = 0;
    const realtime = client({ getToken, webSocketImpl: RecordingWebSocket, sseUrl: undefined, on: { connected: ({ reconnected }) => connected.push(reconnected), closed: (info) => closed.push(info) } });
    const { titles, errors } = watchTitles(realtime);

    await waitFor(() => connected.length === 1, 'the first connection');
    await settle(200);
    await createArticle('Before expiry');
    await waitFor(() => titles.includes('Before expiry'), 'an event on the first token');

    await waitFor(() => connected.length === 2, 'the reconnection', 5000);
    expect(closed[0]).toEqual({ code: 4403, reason: 'Forbidden: token expired' });
    expect(connected).toEqual([false, true]);
    const inits = sentMessages.filter((message) => message.type === 'connection_init').map((message) => message.payload?.authorization);
    expect(inits).toEqual([`Bearer ${issued[0]}`, `Bearer ${issued[1]}`]);
    expect(issued[1]).not.toBe(issued[0]);

    // The subscription was re-sent on the new connection, authenticated by the refreshed token.
    await settle(200);
    await createArticle('After expiry');
    await waitFor(() => titles.includes('After expiry'), 'an event after the reconnection');
    expect(errors).toEqual([]);
    expect(realtime.transport).toBe('websocket');
  });

  it('over SSE too: the server ends the expired stream and the client resumes it with a fresh token', async () => {
    let calls = 0;
    const getToken = () => issueJwt(app.strapi, user.id, calls++ === 0 ? 3 : 60);
    const realtime = client({ getToken, webSocketImpl: BlockedWebSocket });
    const { titles, errors } = watchTitles(realtime);
    await settle(500);
    await createArticle('SSE before expiry');
    await waitFor(() => titles.includes('SSE before expiry'), 'an SSE event on the first token');

    await waitFor(() => calls >= 2, 'the stream to be resumed with a new token', 5000);
    await settle(300);
    await createArticle('SSE after expiry');
    await waitFor(() => titles.includes('SSE after expiry'), 'an SSE event after the resumption');
    expect(errors).toEqual([]);
    expect(realtime.transport).toBe('sse');
  });

  it('falls back to SSE when the WebSocket constructor throws', async () => {
    const fallbacks: unknown[] = [];
    const realtime = client({ token: user.jwt, webSocketImpl: BlockedWebSocket, on: { fallback: (reason) => fallbacks.push(reason) } });
    const { titles, errors } = watchTitles(realtime);
    await settle(500);
    await createArticle('Delivered over SSE');
    await waitFor(() => titles.includes('Delivered over SSE'), 'the SSE result');
    expect(realtime.transport).toBe('sse');
    expect(fallbacks).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('falls back to SSE when the WebSocket endpoint refuses the upgrade, and when there is no WebSocket at all', async () => {
    const refused = client({ url: `${app.wsUrl}/not-graphql`, token: user.jwt, webSocketImpl: WebSocket });
    vi.stubGlobal('WebSocket', undefined);
    const missing = client({ token: user.jwt });
    expect(missing.transport).toBe('sse');
    const viaRefused = watchTitles(refused);
    const viaMissing = watchTitles(missing);
    await settle(500);
    await createArticle('No WebSocket needed');
    await waitFor(() => viaRefused.titles.includes('No WebSocket needed') && viaMissing.titles.includes('No WebSocket needed'), 'both SSE results');
    expect(refused.transport).toBe('sse');
    expect([viaRefused.errors, viaMissing.errors]).toEqual([[], []]);
  });

  it('over SSE, a document the server rejects fails with its GraphQL errors and a wrong URL with a connection error, once', async () => {
    let requests = 0;
    const countingFetch = (input: string, init?: object) => {
      requests++;
      return fetch(input, init);
    };
    const realtime = client({ token: user.jwt, webSocketImpl: BlockedWebSocket, fetchFn: countingFetch });
    const errors: unknown[] = [];
    const sink = { next: () => undefined, error: (error: unknown) => errors.push(error), complete: () => undefined };
    realtime.subscribe({ query: 'subscription { articleCreated { subtitle } }' }, sink);
    await waitFor(() => errors.length === 1, 'the GraphQL errors');
    expect(errors[0]).toEqual(
      expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining('Cannot query field "subtitle" on type "Article".') })]),
    );

    const wrongUrl = client({ token: user.jwt, webSocketImpl: BlockedWebSocket, sseUrl: `${app.httpUrl}/no-stream-here`, fetchFn: countingFetch });
    wrongUrl.subscribe({ query: ArticleCreatedDocument }, sink);
    await waitFor(() => errors.length === 2, 'the connection error');
    expect(errors[1]).toBeInstanceOf(RealtimeConnectionError);
    const { kind, code } = errors[1] as RealtimeConnectionError;
    // Strapi answers a POST to an unknown path with 405 (or 404): a final answer either way.
    expect([kind, [404, 405].includes(code!)]).toEqual(['connection', true]);
    await sleep(300);
    expect(requests).toBe(2);
  });

  it('does not reconnect forever with a token the server keeps refusing (WebSocket and SSE)', async () => {
    let asked = 0;
    const closed: number[] = [];
    const overWs = client({ getToken: () => `bad-${asked++}`, webSocketImpl: WebSocket, authRetries: 2, on: { closed: ({ code }) => closed.push(code) } });
    const ws = watchTitles(overWs);
    await waitFor(() => ws.errors.length > 0, 'the WebSocket subscription to fail');
    const wsError = ws.errors[0] as RealtimeConnectionError;
    expect(wsError).toBeInstanceOf(RealtimeConnectionError);
    expect([wsError.kind, wsError.code, wsError.transport]).toEqual(['forbidden', 4403, 'websocket']);
    // One attempt and `authRetries` more, each with a token asked for anew; a refusal is never a reason for SSE.
    expect(closed).toEqual([4403, 4403, 4403]);
    expect(asked).toBe(3);
    expect(overWs.transport).toBe('websocket');

    let requests = 0;
    const countingFetch = (input: string, init?: object) => {
      requests++;
      return fetch(input, init);
    };
    const overSse = client({ token: 'not-a-token', webSocketImpl: BlockedWebSocket, authRetries: 1, fetchFn: countingFetch });
    const sse = watchTitles(overSse);
    await waitFor(() => sse.errors.length > 0, 'the SSE subscription to fail');
    const sseError = sse.errors[0] as RealtimeConnectionError;
    expect([sseError.kind, sseError.code, sseError.transport]).toEqual(['forbidden', 401, 'sse']);
    expect(requests).toBe(2);
    // Nothing keeps trying in the background.
    await sleep(400);
    expect([asked, requests]).toEqual([3, 2]);
  });
});
