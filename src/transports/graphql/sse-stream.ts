import type { ServerResponse } from 'node:http';

export type StreamEndReason = 'client-closed' | 'slow-reader' | 'completed' | 'revoked' | 'expired' | 'reservation-expired' | 'server-stopped';

/**
 * One `text/event-stream` response, with a bound on what it may hold: what the client has not read yet (the
 * response's write buffer, or the queue of a reserved stream nobody opened) never exceeds `maxBufferedBytes`. Past
 * it the stream ends (the client reconnects) instead of the server's memory growing.
 */
export interface EventStream {
  /** Attached to a response and still writable. */
  readonly open: boolean;
  readonly ended: boolean;
  /** What the client has not read yet: queued before attach, or in the response's write buffer. */
  readonly bufferedBytes: number;
  /** Starts streaming on `res` (single connection mode: when the reserved stream is opened) and flushes the queue. */
  attach(res: ServerResponse, headers?: Record<string, string>): void;
  /** Writes one complete event (given as parts, written without copying them together). */
  write(parts: readonly (string | Buffer)[]): void;
  /** A comment line: keeps proxies and the client from timing out an idle stream. */
  ping(): void;
  end(reason: StreamEndReason): void;
}

const HEADERS = {
  connection: 'keep-alive',
  'cache-control': 'no-cache',
  'content-encoding': 'none',
  'content-type': 'text/event-stream; charset=utf-8',
  // Proxies (nginx) buffer responses by default; an event stream must not wait in them.
  'x-accel-buffering': 'no',
};

export const createEventStream = (options: {
  maxBufferedBytes: number;
  /** Holds the response's writes until the delivery slice ends (several events leave in one write). */
  hold: (res: ServerResponse) => void;
  onEnd: (reason: StreamEndReason) => void;
}): EventStream => {
  let res: ServerResponse | null = null;
  let ended = false;
  let queued: (string | Buffer)[][] = [];
  let queuedBytes = 0;

  const sizeOf = (parts: readonly (string | Buffer)[]) => parts.reduce((sum, part) => sum + (typeof part === 'string' ? Buffer.byteLength(part) : part.length), 0);

  const end = (reason: StreamEndReason) => {
    if (ended) return;
    ended = true;
    queued = [];
    queuedBytes = 0;
    // A reader that fell behind is cut off at once: ending gracefully would keep its unread bytes until it reads.
    if (res && reason === 'slow-reader') res.destroy();
    else if (res && !res.writableEnded) res.end();
    options.onEnd(reason);
  };

  /** The parts of an event, held with the rest of the delivery slice: they leave together at its end. */
  const writeNow = (response: ServerResponse, parts: readonly (string | Buffer)[]) => {
    options.hold(response);
    for (const part of parts) response.write(part);
  };

  return {
    get open() {
      return !ended && res !== null && !res.writableEnded;
    },
    get ended() {
      return ended;
    },
    get bufferedBytes() {
      return res ? res.writableLength : queuedBytes;
    },
    attach(response, headers = {}) {
      if (ended || res) return;
      res = response;
      // The client may have gone while the request was being authenticated: its 'close' has already fired.
      if (response.destroyed || response.socket?.destroyed !== false) return end('client-closed');
      response.on('close', () => end('client-closed'));
      response.writeHead(200, { ...HEADERS, ...headers });
      response.write(':\n\n');
      for (const parts of queued) writeNow(response, parts);
      queued = [];
      queuedBytes = 0;
    },
    write(parts) {
      if (ended) return;
      if (!res) {
        queuedBytes += sizeOf(parts);
        if (queuedBytes > options.maxBufferedBytes) return end('slow-reader');
        queued.push([...parts]);
        return;
      }
      if (res.writableLength > options.maxBufferedBytes) return end('slow-reader');
      writeNow(res, parts);
    },
    ping() {
      if (res && !ended) res.write(':\n\n');
    },
    end,
  };
};
