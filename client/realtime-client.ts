import { createClient, type Client as WsClient } from 'graphql-ws';
import { DEFAULT_RETRY, backoffDelay, sleep, type RetryOptions } from './backoff.js';
import { FORBIDDEN_CLOSE_CODE, RealtimeConnectionError, TokenError, isCloseEventLike, toSinkError, type Transport } from './connection-error.js';
import { iterateSubscription } from './iterate.js';
import { toWirePayload, type RealtimeRequest, type RealtimeResult, type RealtimeSink } from './request.js';
import { globalWebSocket, nonThrowingWebSocket } from './safe-websocket.js';
import { createSseTransport, type SseTransport } from './sse-transport.js';
import { resumableSubscription, type RealtimeGap, type ResumableSubscription } from './resume.js';
import { authorizationOf, tokenSource, type CredentialOptions } from './token-source.js';

export interface KeepAliveOptions {
  /** How often the client pings the server (default 10 s). */
  intervalMs?: number;
  /** How long it waits for the pong before it considers the connection dead and reconnects (default 5 s). */
  timeoutMs?: number;
}

export interface RealtimeClientOptions extends CredentialOptions {
  /** The graphql-ws endpoint: `ws://localhost:1337/graphql` (`wss://` behind TLS). */
  url: string;
  /**
   * The GraphQL over SSE endpoint (`http://localhost:1337/graphql/stream`). When given, subscriptions continue
   * over SSE if no WebSocket can be opened (none in this runtime, or the first connection fails: proxies and
   * firewalls that block upgrades).
   */
  sseUrl?: string;
  /** A WebSocket constructor where the runtime has none (Node < 22: `import WebSocket from 'ws'`). */
  webSocketImpl?: unknown;
  /** `fetch` for SSE where the runtime has none. */
  fetchFn?: unknown;
  /** Reconnection with exponential backoff and jitter (default: unlimited attempts, 1 s doubling to 30 s). */
  retry?: RetryOptions;
  /**
   * Refusals of the credential in a row (close 4403 before the connection was acknowledged, 401/403 over SSE)
   * before subscriptions fail with a `forbidden` RealtimeConnectionError (default 2). Each attempt asks
   * `getToken` again, so a refresh can fix it; a token that stays bad does not reconnect forever.
   */
  authRetries?: number;
  /** Client pings to notice dead connections (sleeping laptops, dropped NAT entries); `false` turns them off. */
  keepAlive?: KeepAliveOptions | false;
  /** Connect on the first subscription and close after the last one (default `true`). */
  lazy?: boolean;
  /**
   * Events were missed and cannot be replayed (the client was away longer than the server keeps events, or the
   * server restarted): refetch what the UI shows (e.g. `apolloClient.refetchQueries({ include: 'active' })`). The
   * subscription stays open and continues live. Without this option the gap reaches the subscription as a result
   * with an `EVENTS_MISSED` error, so it is never silent.
   */
  onGap?: (gap: RealtimeGap) => void;
  on?: {
    /** A connection was acknowledged (WebSocket) or a stream opened (SSE). */
    connected?: (info: { transport: Transport; reconnected: boolean }) => void;
    /** The WebSocket closed; the client reconnects unless the problem is fatal. */
    closed?: (info: { code: number; reason: string }) => void;
    /** No WebSocket could be opened: this client continues over SSE. */
    fallback?: (reason: unknown) => void;
  };
}

export interface RealtimeClient {
  /** Starts a subscription (or a one-off query); returns the function that stops it. */
  subscribe<TData = Record<string, unknown>, TVariables = Record<string, unknown>>(
    request: RealtimeRequest<TData, TVariables>,
    sink: RealtimeSink<RealtimeResult<TData>>,
  ): () => void;
  /** The same, as an async iterator; leaving the loop stops the subscription. */
  iterate<TData = Record<string, unknown>, TVariables = Record<string, unknown>>(
    request: RealtimeRequest<TData, TVariables>,
  ): AsyncIterableIterator<RealtimeResult<TData>>;
  /** `websocket`, or `sse` once the client fell back. */
  readonly transport: Transport;
  /** The credential the client connects with now (e.g. for HTTP queries next to it). */
  getToken(): Promise<string | null>;
  /** Closes the connection and stops every subscription. */
  dispose(): Promise<void>;
}

const DEFAULT_KEEP_ALIVE = { intervalMs: 10_000, timeoutMs: 5_000 };
const PONG_TIMEOUT_CLOSE_CODE = 4408;
const OPEN = 1;

/**
 * A GraphQL subscription client for strapi-plugin-realtime: graphql-ws with a fresh token on every connection,
 * reconnection after the server closes an expired credential (4403 after the acknowledgement), bounded retries
 * of refused credentials, backoff with jitter, keep-alive pings, and GraphQL over SSE when WebSocket is not
 * available. Results and errors look the same whichever transport carries them.
 */
export const createRealtimeClient = (options: RealtimeClientOptions): RealtimeClient => {
  const credential = tokenSource(options);
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...options.retry };
  const authRetries = options.authRetries ?? 2;
  const keepAlive = options.keepAlive === false ? null : { ...DEFAULT_KEEP_ALIVE, ...options.keepAlive };

  let transport: Transport = 'websocket';
  let disposed = false;
  // WebSocket state read by the retry policy.
  let everConnected = false;
  let acknowledged = false;
  let refusals = 0;
  let activeSocket: { readyState: number; close(code: number, reason: string): void } | null = null;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;

  let ws: WsClient | null = null;
  // Every live subscription's resume state: a reconnection resubscribes from where each one was.
  const resumables = new Set<ResumableSubscription>();
  let sse: SseTransport | null = null;
  const sseTransport = (): SseTransport => {
    sse ??= createSseTransport({
      url: options.sseUrl!,
      credential,
      retry,
      authRetries,
      fetchFn: options.fetchFn,
      onConnected: (reconnected) => options.on?.connected?.({ transport: 'sse', reconnected }),
    });
    return sse;
  };

  /** A credential problem: SSE would be refused the same way, so it never triggers the fallback. */
  const isCredentialProblem = (problem: unknown) =>
    problem instanceof TokenError || (isCloseEventLike(problem) && problem.code === FORBIDDEN_CLOSE_CODE);

  /** The WebSocket never got through and SSE is configured: switch instead of retrying. */
  const shouldFallBack = (problem: unknown) =>
    !!options.sseUrl && !everConnected && !Array.isArray(problem) && !isCredentialProblem(problem);

  const shouldRetry = (problem: unknown) => {
    if (problem instanceof TokenError) return false;
    // 4403 after the acknowledgement is an expired credential: reconnect (getToken is asked again). At connect
    // time it is a refusal: a few more tries let a refresh fix it, then subscriptions fail.
    if (isCloseEventLike(problem) && problem.code === FORBIDDEN_CLOSE_CODE) return refusals <= authRetries;
    return !shouldFallBack(problem);
  };

  const fallBack = (reason: unknown) => {
    if (transport === 'sse') return;
    transport = 'sse';
    options.on?.fallback?.(reason);
    // Disposing rejects when the pending connection failed, which is what brought us here.
    void Promise.resolve(ws?.dispose()).catch(() => undefined);
    ws = null;
  };

  const createWs = (): WsClient | null => {
    const Impl = options.webSocketImpl ?? globalWebSocket();
    if (!Impl) {
      if (options.sseUrl) {
        fallBack(new Error('No WebSocket implementation in this runtime'));
        return null;
      }
      throw new Error('No WebSocket implementation: pass `webSocketImpl` (Node < 22: `ws`) or `sseUrl` for GraphQL over SSE');
    }
    return createClient({
      url: options.url,
      webSocketImpl: nonThrowingWebSocket(Impl),
      lazy: options.lazy ?? true,
      retryAttempts: retry.attempts,
      retryWait: (retries) => sleep(backoffDelay(retries, retry)),
      shouldRetry,
      keepAlive: keepAlive?.intervalMs ?? 0,
      connectionParams: async () => authorizationOf(await credential()),
      onNonLazyError: (problem) => {
        if (shouldFallBack(problem)) fallBack(problem);
      },
      on: {
        connecting: () => {
          acknowledged = false;
        },
        connected: (socket, payload, reconnected) => {
          // The log's head when the connection opened: where subscriptions that got no event yet resume from.
          for (const resumable of resumables) resumable.startFrom(payload?.cursor);
          everConnected = true;
          acknowledged = true;
          refusals = 0;
          activeSocket = socket as typeof activeSocket;
          options.on?.connected?.({ transport: 'websocket', reconnected });
        },
        closed: (event) => {
          clearTimeout(pongTimer);
          activeSocket = null;
          if (!isCloseEventLike(event)) return;
          if (event.code === FORBIDDEN_CLOSE_CODE && !acknowledged) refusals++;
          options.on?.closed?.({ code: event.code, reason: event.reason });
        },
        ping: (received) => {
          if (received || !keepAlive) return;
          clearTimeout(pongTimer);
          pongTimer = setTimeout(() => {
            if (activeSocket?.readyState === OPEN) activeSocket.close(PONG_TIMEOUT_CLOSE_CODE, 'Pong timeout');
          }, keepAlive.timeoutMs);
        },
        pong: (received) => {
          if (received) clearTimeout(pongTimer);
        },
      },
    });
  };

  ws = createWs();

  const subscribe = <TData, TVariables>(request: RealtimeRequest<TData, TVariables>, sink: RealtimeSink<RealtimeResult<TData>>) => {
    const untypedSink = sink as RealtimeSink<unknown>;
    if (disposed) {
      sink.error(new RealtimeConnectionError('The realtime client was disposed', { kind: 'connection', transport }));
      return () => undefined;
    }
    const resumable = resumableSubscription(toWirePayload(request));
    const payload = resumable.wire;
    resumables.add(resumable);
    let stopped = false;
    let stop: () => void;
    /** Results update the cursor; a gap signal goes to `onGap` (or, without it, to the subscription). */
    const deliver = (result: unknown) => {
      const gap = resumable.observe(result as Parameters<typeof resumable.observe>[0]);
      if (gap && options.onGap) options.onGap(gap);
      else untypedSink.next(result);
    };
    const ended = () => resumables.delete(resumable);
    const resultSink: RealtimeSink<unknown> = {
      next: deliver,
      error: (e) => {
        ended();
        untypedSink.error(e);
      },
      complete: () => {
        ended();
        untypedSink.complete();
      },
    };
    const viaSse = () => {
      stop = sseTransport().subscribe(payload, resultSink);
    };
    if (!ws) viaSse();
    else {
      stop = ws.subscribe(payload, {
        next: deliver,
        complete: () => {
          if (stopped) return;
          // graphql-ws completes the subscriptions it was retrying when the fallback disposed it: move them.
          if (transport === 'sse') return viaSse();
          resultSink.complete();
        },
        error: (problem) => {
          if (stopped) return;
          if (shouldFallBack(problem)) fallBack(problem);
          if (transport === 'sse' && !Array.isArray(problem) && !isCredentialProblem(problem)) return viaSse();
          resultSink.error(toSinkError(problem, 'websocket'));
        },
      });
    }
    return () => {
      stopped = true;
      ended();
      stop();
    };
  };

  return {
    subscribe,
    iterate: (request) => iterateSubscription((sink) => subscribe(request, sink)),
    get transport() {
      return transport;
    },
    getToken: credential,
    async dispose() {
      disposed = true;
      clearTimeout(pongTimer);
      sse?.dispose();
      await Promise.resolve(ws?.dispose()).catch(() => undefined);
    },
  };
};
