import { createClient } from 'graphql-sse';
import { getOperationAST, parse, OperationTypeNode } from 'graphql';
import { backoffDelay, DEFAULT_RETRY, sleep, type RetryOptions } from './backoff.js';
import { RealtimeConnectionError, toSinkError } from './connection-error.js';
import { authorizationOf } from './token-source.js';
import type { RealtimeSink, WirePayload } from './request.js';

export interface SseTransportOptions {
  /** `http://localhost:1337/graphql/stream` */
  url: string;
  credential: () => Promise<string | null>;
  retry: RetryOptions;
  /** Refusals (401/403) in a row a subscription tolerates before it fails. */
  authRetries: number;
  fetchFn?: unknown;
  onConnected?: (reconnected: boolean) => void;
}

const isSubscription = (payload: WirePayload) => {
  try {
    return getOperationAST(parse(payload.query), payload.operationName)?.operation === OperationTypeNode.SUBSCRIPTION;
  } catch {
    return false; // the server answers an unparsable document with its errors
  }
};

type ResponseLike = { status: number; ok: boolean; headers?: { get(name: string): string | null }; clone(): { json(): Promise<unknown> } };

/** The server's event-log head when the stream opened (a subscription with no result yet resumes from it). */
const CURSOR_HEADER = 'x-realtime-cursor';
type FetchLike = (input: string, init?: object) => Promise<ResponseLike>;

/** Statuses worth another attempt: refusals (counted apart), timeouts, rate limits and server errors. */
const isRetryable = (status: number) => status < 400 || status >= 500 || [401, 403, 408, 429].includes(status);

/**
 * A request the server rejected for good (400: the document does not parse or validate; 404: wrong URL): its
 * GraphQL errors when it sent some (reported like the WebSocket path reports them), else a connection error.
 */
const rejectionOf = async (response: ResponseLike): Promise<unknown> => {
  try {
    const body = (await response.clone().json()) as { errors?: unknown };
    if (Array.isArray(body?.errors) && body.errors.length > 0) return body.errors;
  } catch {
    // not JSON: fall through
  }
  return new RealtimeConnectionError(`SSE request rejected with ${response.status}`, { kind: 'connection', transport: 'sse', code: response.status });
};

/**
 * GraphQL over SSE (graphql-sse, distinct connections: one stream per subscription), with the same promises as
 * the WebSocket path: a fresh token on every (re)connection, backoff with jitter, bounded refusals. The server
 * ends a subscription's stream when its credential expires; such a stream is resumed with a fresh token.
 */
export const createSseTransport = (options: SseTransportOptions) => {
  const baseFetch = (options.fetchFn ?? (globalThis as { fetch?: unknown }).fetch) as FetchLike | undefined;
  if (!baseFetch) throw new Error('GraphQL over SSE needs fetch: pass `fetchFn`');
  // A stream that stayed open this long was healthy: its next resumption starts from the shortest delay again.
  const healthyAfterMs = options.retry.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  const active = new Set<() => void>();

  const subscribe = (payload: WirePayload, sink: RealtimeSink<unknown>): (() => void) => {
    const resumable = isSubscription(payload);
    let stopped = false;
    let resumptions = 0;
    let resumeTimer: ReturnType<typeof setTimeout> | undefined;
    let stopCurrent = () => undefined as void;

    const finish = (end: () => void) => {
      if (stopped) return;
      stopped = true;
      active.delete(stop);
      end();
    };

    const start = () => {
      // One client per subscription: refusals are counted per stream, not shared by unrelated ones.
      let refusals = 0;
      let lastRefusal = 0;
      let rejection: unknown = null;
      let openedAt = 0;
      let failed = false;
      const client = createClient({
        url: options.url,
        singleConnection: false,
        headers: async () => authorizationOf(await options.credential()),
        fetchFn: async (input: string, init?: object) => {
          const response = await baseFetch(input, init);
          const head = response.headers?.get(CURSOR_HEADER);
          if (head && resumable && payload.extensions && payload.extensions.cursor === undefined) payload.extensions.cursor = head;
          if (response.status === 401 || response.status === 403) {
            refusals++;
            lastRefusal = response.status;
          } else if (!isRetryable(response.status)) rejection = await rejectionOf(response);
          else if (response.ok) refusals = 0;
          return response;
        },
        retryAttempts: options.retry.attempts ?? DEFAULT_RETRY.attempts,
        // graphql-sse retries every failed request; this decides which failures are final.
        retry: async (retries) => {
          // graphql-sse hands what is thrown here to the sink: the server's GraphQL errors, as the README documents.
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          if (rejection) throw rejection;
          if (refusals > options.authRetries) {
            throw new RealtimeConnectionError(`SSE request refused with ${lastRefusal} ${refusals} times in a row`, {
              kind: 'forbidden',
              transport: 'sse',
              code: lastRefusal,
            });
          }
          await sleep(backoffDelay(retries, options.retry));
        },
      });
      const unsubscribe = client.subscribe(
        payload,
        {
          next: (result) => {
            // A result with errors and no data is the server refusing the operation: the stream then ends for good.
            failed = Array.isArray(result.errors) && result.errors.length > 0 && result.data == null;
            if (!failed) resumptions = 0;
            sink.next(result);
          },
          error: (error) => {
            client.dispose();
            finish(() => sink.error(toSinkError(error, 'sse')));
          },
          complete: () => {
            client.dispose();
            if (stopped) return;
            if (!resumable || failed) return finish(() => sink.complete());
            // The server ended a live subscription (its credential expired): resume with a fresh token.
            if (Date.now() - openedAt >= healthyAfterMs) resumptions = 0;
            resumeTimer = setTimeout(start, backoffDelay(resumptions++, options.retry));
          },
        },
        {
          connected: (reconnected) => {
            openedAt = Date.now();
            options.onConnected?.(reconnected);
          },
        },
      );
      stopCurrent = () => {
        unsubscribe();
        client.dispose();
      };
    };

    const stop = () =>
      finish(() => {
        clearTimeout(resumeTimer);
        stopCurrent();
      });
    active.add(stop);
    start();
    return stop;
  };

  return {
    subscribe,
    /** Ends every stream (their sinks get no further call). */
    dispose() {
      for (const stop of [...active]) stop();
    },
  };
};

export type SseTransport = ReturnType<typeof createSseTransport>;
