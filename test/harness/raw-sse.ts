import type { ExampleApp } from './example-app';
import { waitFor } from './wait';

export interface StreamEvent {
  event: string;
  data: any;
}

export interface RawEventStream {
  status: number;
  events: StreamEvent[];
  ended: boolean;
  waitForEvent(predicate: (event: StreamEvent) => boolean, description: string, timeoutMs?: number): Promise<StreamEvent>;
  waitForEnd(timeoutMs?: number): Promise<true>;
  abort(): void;
}

/** Parses `event:`/`data:` blocks out of a text/event-stream body (comments skipped). */
const parseEvents = (text: string): { events: StreamEvent[]; rest: string } => {
  const events: StreamEvent[] = [];
  const blocks = text.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data += line.slice(5).trim();
    }
    if (block.startsWith(':')) continue;
    events.push({ event, data: data ? JSON.parse(data) : null });
  }
  return { events, rest };
};

/**
 * An SSE request made by hand (fetch, reading the body as it arrives), for what graphql-sse clients never do:
 * streams opened with someone else's token, operations posted to reservations nobody opens, and so on.
 */
export const openEventStream = async (
  app: Pick<ExampleApp, 'httpUrl'>,
  options: { method?: string; headers?: Record<string, string>; body?: unknown; path?: string } = {},
): Promise<RawEventStream> => {
  const controller = new AbortController();
  const response = await fetch(`${app.httpUrl}${options.path ?? '/graphql/stream'}`, {
    method: options.method ?? 'POST',
    headers: { accept: 'text/event-stream', ...(options.body ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: options.body ? JSON.stringify(options.body) : undefined,
    signal: controller.signal,
  });
  const stream: RawEventStream = {
    status: response.status,
    events: [],
    ended: false,
    waitForEvent: (predicate, description, timeoutMs) => waitFor(() => stream.events.find(predicate), description, timeoutMs),
    waitForEnd: (timeoutMs) => waitFor(() => stream.ended, 'the stream to end', timeoutMs),
    abort: () => controller.abort(),
  };
  if (!response.body) {
    stream.ended = true;
    return stream;
  }
  void (async () => {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const parsed = parseEvents(buffered + decoder.decode(chunk, { stream: true }));
        stream.events.push(...parsed.events);
        buffered = parsed.rest;
      }
    } catch {
      // Aborted or cut off by the server: either way the stream is over.
    }
    stream.ended = true;
  })();
  return stream;
};
