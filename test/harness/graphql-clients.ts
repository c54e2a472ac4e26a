import WebSocket from 'ws';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { createClient as createSseClient } from 'graphql-sse';
import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import type { ExampleApp } from './example-app';
import { waitFor } from './wait';

export interface Recorded<T = any> {
  results: ExecutionResult<T>[];
  errors: unknown[];
  completed: boolean;
  /** The data of every `next`, for short assertions. */
  data(): T[];
  waitForResults(count: number, timeoutMs?: number): Promise<ExecutionResult<T>[]>;
  waitForError(timeoutMs?: number): Promise<unknown>;
  dispose(): void;
}

const recorder = <T>(dispose: () => void): Recorded<T> => {
  const recorded: Recorded<T> = {
    results: [],
    errors: [],
    completed: false,
    data: () => recorded.results.map((r) => r.data as T),
    waitForResults: (count, timeoutMs) => waitFor(() => recorded.results.length >= count && recorded.results, `${count} result(s)`, timeoutMs),
    // graphql-ws reports operation errors through `error`; over SSE they arrive as a result with `errors`.
    waitForError: (timeoutMs) =>
      waitFor(() => recorded.errors[0] ?? recorded.results.find((r) => r.errors && !r.data)?.errors, 'an error', timeoutMs),
    dispose,
  };
  return recorded;
};

type Sink = { next(value: unknown): void; error(error: unknown): void; complete(): void };
/** What graphql-ws and graphql-sse clients have in common: `subscribe(payload, sink)` returning a disposer. */
type SubscribingClient = { subscribe(payload: { query: string; variables?: Record<string, unknown> }, sink: Sink): () => void };

/** Subscribes and records everything the client reports. */
const record = <T>(client: SubscribingClient, query: string, variables?: Record<string, unknown>): Recorded<T> => {
  let stop = () => undefined as void;
  const recorded = recorder<T>(() => stop());
  stop = client.subscribe(
    { query, variables },
    {
      next: (result) => void recorded.results.push(result as ExecutionResult<T>),
      error: (error) => void recorded.errors.push(error),
      complete: () => void (recorded.completed = true),
    },
  );
  return recorded;
};

/** A real graphql-ws client (what Apollo's GraphQLWsLink and urql use underneath) with a recorded close. */
export const connectWs = (app: Pick<ExampleApp, 'wsUrl'>, options: { token?: string | null; connectionParams?: Record<string, unknown>; retryAttempts?: number } = {}) => {
  const closes: { code: number; reason: string }[] = [];
  const client: WsClient = createWsClient({
    url: `${app.wsUrl}/graphql`,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: options.retryAttempts ?? 0,
    connectionParams: options.connectionParams ?? (options.token ? { authorization: `Bearer ${options.token}` } : {}),
    on: { closed: (event) => closes.push({ code: (event as CloseEvent).code, reason: (event as CloseEvent).reason }) },
    onNonLazyError: () => undefined,
  });
  return {
    client,
    closes,
    waitForClose: (timeoutMs?: number) => waitFor(() => closes[0], 'the socket to close', timeoutMs),
    subscribe: <T = any>(query: string, variables?: Record<string, unknown>) => record<T>(client, query, variables),
    dispose: () => client.dispose(),
  };
};

/** A real graphql-sse client (distinct connections mode by default; `singleConnection` to test the other mode). */
export const connectSse = (app: Pick<ExampleApp, 'httpUrl'>, options: { token?: string | null; singleConnection?: boolean } = {}) => {
  const client = createSseClient({
    url: `${app.httpUrl}/graphql/stream`,
    singleConnection: options.singleConnection ?? false,
    retryAttempts: 0,
    headers: (): Record<string, string> => (options.token ? { authorization: `Bearer ${options.token}` } : {}),
  });
  return {
    client,
    subscribe: <T = any>(query: string, variables?: Record<string, unknown>) => record<T>(client, query, variables),
    dispose: () => client.dispose(),
  };
};

/** The GraphQL errors a client reported (graphql-ws gives an array; graphql-sse an Error or array). */
export const errorMessages = (error: unknown): string[] => {
  if (Array.isArray(error)) return error.map((e: GraphQLFormattedError) => e.message);
  if (error && typeof error === 'object' && 'message' in error) return [String((error as Error).message)];
  return [String(error)];
};
