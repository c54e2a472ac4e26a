import type { RealtimeSocket } from './types';

type Middleware = (socket: RealtimeSocket, next: (error?: Error) => void) => void | Promise<void>;

/**
 * Wraps the handshake middleware so every refused connection is reported with its `connect_error` code
 * (`data.code`: INVALID_TOKEN, IP_DENIED, ...), without the handshake itself knowing about observability.
 */
export const reportRefusals =
  (middleware: Middleware, report: (code: string) => void) =>
  (socket: RealtimeSocket, next: (error?: Error) => void): void =>
    // The handshake catches its own failures and answers through `next`: its promise never rejects.
    void middleware(socket, (error) => {
      if (error) report(String((error as Error & { data?: { code?: unknown } }).data?.code ?? 'other'));
      next(error);
    });
