type WebSocketConstructor = new (url: string, protocols?: string | string[]) => unknown;

const CLOSED = 3;

/** A socket that failed to be created: it reports the error, then an abnormal close, as a real one would. */
const failedSocket = (error: unknown) => {
  const socket = {
    readyState: CLOSED,
    protocol: '',
    onopen: null as ((event: unknown) => void) | null,
    onerror: null as ((event: unknown) => void) | null,
    onclose: null as ((event: unknown) => void) | null,
    onmessage: null as ((event: unknown) => void) | null,
    send: () => undefined,
    close: () => undefined,
  };
  // The handlers are assigned right after construction: report on the next tick.
  setTimeout(() => {
    socket.onerror?.(error);
    socket.onclose?.({ code: 1006, reason: error instanceof Error ? error.message : 'WebSocket could not be created', wasClean: false });
  }, 0);
  return socket;
};

/**
 * The WebSocket constructor, but one that never throws: browsers throw on blocked or invalid URLs (mixed content,
 * CSP), and graphql-ws would then wait forever for a socket that never came. A failed construction is reported
 * as an error + close instead, which the client treats like any other failed connection (and falls back to SSE).
 */
export const nonThrowingWebSocket = (Impl: unknown): unknown =>
  new Proxy(Impl as WebSocketConstructor, {
    construct(target, args) {
      try {
        return Reflect.construct(target, args) as object;
      } catch (error) {
        return failedSocket(error);
      }
    },
  });

/** The WebSocket the platform provides (browsers, Deno, Bun, Node ≥ 22), if any. */
export const globalWebSocket = (): unknown => (globalThis as { WebSocket?: unknown }).WebSocket;
