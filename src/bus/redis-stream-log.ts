import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import type { BusMessage } from '../events/change-event';
import { busMessageProblem } from '../events/validate-bus-message';
import { compareCursors, formatCursor, parseCursor, type Cursor } from '../events/cursor';
import type { GapReason, LogRecord, ReadResult } from '../events/log-record';
import type { EventLog, LogListener } from './event-log';

const CONNECT_TIMEOUT_MS = 5000;
/** How long one XREAD waits for new entries before asking again (and noticing a closed log). */
const READ_BLOCK_MS = 2000;
const READ_BATCH = 500;
/** After a failed command, wait this long before trying again (Redis is reconnecting meanwhile). */
const RETRY_MS = 250;

const GAP_REASONS = new Set<GapReason>(['buffer-overflow', 'missed-by-node']);

type StreamEntry = [id: string, fields: string[]];

export interface RedisStreamLogOptions {
  url: string;
  /** The stream's key; `<stream>:epoch` names its life. */
  stream: string;
  /** Entries the stream keeps (XADD MAXLEN ~): the replay window in events. */
  maxEvents: number;
  /** Oldest entry a client may resume after: the replay window in time. */
  maxAgeMs: number;
  /** Appends kept while Redis is unreachable; past it, newer ones are dropped and every subscriber gets a gap. */
  bufferSize: number;
  onError: (message: string, error?: unknown) => void;
  /** Redis is reachable again after an outage (reported once per outage, as the outage itself). */
  onRecovered?: (message: string) => void;
  now?: () => number;
}

const masked = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');

const positionOf = (id: string): { major: number; minor: number } => {
  const [major, minor] = id.split('-').map(Number);
  return { major, minor };
};

/**
 * The event log of several nodes: one Redis Stream. Every node appends its captured changes (XADD, with a length
 * bound) and reads the stream in order from its last id (XREAD), so every node delivers every event in the same
 * order with the same cursors, and a client may resume on any node (XRANGE). A node that loses Redis keeps its new
 * appends in a bounded buffer and appends them when Redis is back (the REST write never waits), and its reader
 * continues where it stopped. Loss is never silent: an overflowing buffer appends a gap entry, and a reader that
 * finds the stream trimmed past its position (or a Redis that lost its data: a new epoch) tells its subscribers.
 * Use a persistent Redis (AOF) so a Redis restart keeps the stream.
 */
export const createRedisStreamLog = async (options: RedisStreamLogOptions): Promise<EventLog> => {
  const { stream, onError } = options;
  const now = options.now ?? Date.now;
  const epochKey = `${stream}:epoch`;
  const clientOptions = {
    url: options.url,
    // Our own buffer keeps appends in order while Redis is away; commands must fail fast instead of piling up.
    disableOfflineQueue: true,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5000) },
  };
  const writer = createClient(clientOptions);
  // XREAD BLOCK holds its connection: reads get their own.
  const reader = writer.duplicate();
  // An outage is reported once when it starts and once when it ends, not on every reconnection attempt.
  let unreachableSince: number | null = null;
  const unreachable = (what: string, error: unknown) => {
    if (unreachableSince !== null) return;
    unreachableSince = now();
    onError(`${what}: Redis is unreachable; appends are kept (up to bus.bufferSize) and reading resumes when it is back`, error);
  };
  const reachable = () => {
    if (unreachableSince === null) return;
    options.onRecovered?.(`Redis is reachable again after ${Math.round((now() - unreachableSince) / 1000)} s`);
    unreachableSince = null;
  };
  writer.on('error', (error: unknown) => unreachable('event log writer', error));
  reader.on('error', (error: unknown) => unreachable('event log reader', error));

  const connect = Promise.all([writer.connect(), reader.connect()]);
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`cannot reach Redis at ${masked(options.url)} (bus.url)`)), CONNECT_TIMEOUT_MS).unref(),
  );
  try {
    await Promise.race([connect, timeout]);
  } catch (error) {
    writer.destroy();
    reader.destroy();
    throw error;
  }

  const command = (client: typeof writer, args: string[]) => client.sendCommand<unknown>(args);

  /** The stream's life: created with the first node, kept as long as Redis keeps its data. */
  const currentEpoch = async (): Promise<string> => {
    await command(writer, ['SET', epochKey, randomBytes(6).toString('base64url'), 'NX']);
    return String(await command(writer, ['GET', epochKey]));
  };

  let epoch = await currentEpoch();
  const lastEntry = (await command(writer, ['XREVRANGE', stream, '+', '-', 'COUNT', '1'])) as StreamEntry[];
  let lastId = lastEntry[0]?.[0] ?? '0-0';
  let closed = false;
  let gaps = 0;
  const listeners = new Set<LogListener>();

  const notify = (record: LogRecord) => {
    for (const listener of listeners) {
      try {
        listener(record);
      } catch (error) {
        onError('an event log listener failed', error);
      }
    }
  };
  const cursorOf = (id: string): Cursor => ({ epoch, ...positionOf(id) });

  /** One stream entry as a record, or null (and an error logged) for an entry no node of ours wrote. */
  const recordOf = ([id, fields]: StreamEntry): LogRecord | null => {
    const cursor = cursorOf(id);
    const field = (name: string) => {
      const index = fields.indexOf(name);
      return index >= 0 && index % 2 === 0 ? fields[index + 1] : undefined;
    };
    const gap = field('g');
    if (gap !== undefined) return GAP_REASONS.has(gap as GapReason) ? { kind: 'gap', cursor, id: formatCursor(cursor), reason: gap as GapReason } : null;
    let message: unknown;
    try {
      message = JSON.parse(field('m') ?? '');
    } catch {
      onError(`ignored stream entry ${id}: not JSON`);
      return null;
    }
    const problem = busMessageProblem(message);
    if (problem) {
      onError(`ignored stream entry ${id}: malformed (${problem})`);
      return null;
    }
    return { kind: 'message', cursor, id: formatCursor(cursor), message: message as BusMessage };
  };

  /** Entries with ids after `id`, oldest first, at most `count`. */
  const rangeAfter = async (client: typeof writer, id: string, count: number) =>
    (await command(client, ['XRANGE', stream, `(${id}`, '+', 'COUNT', String(count)])) as StreamEntry[];

  /**
   * Whether a position is older than what the stream keeps (XADD MAXLEN trimmed it away): then entries after it may
   * be gone, so a client there is told of a gap. (A position that was itself the last entry trimmed counts too: the
   * window is what is kept.)
   */
  const trimmedAfter = async (id: string): Promise<boolean> => {
    const first = (await command(writer, ['XRANGE', stream, '-', '+', 'COUNT', '1'])) as StreamEntry[];
    return first[0] !== undefined && compareCursors(cursorOf(id), cursorOf(first[0][0])) < 0;
  };

  // ---- reading: this node delivers the stream in order ----
  const readLoop = async () => {
    while (!closed) {
      try {
        const known = await currentEpoch();
        if (known !== epoch) {
          // Redis lost the stream (restarted without persistence): what other nodes appended meanwhile is gone.
          epoch = known;
          lastId = '0-0';
          gaps++;
          notify({ kind: 'gap', cursor: cursorOf('0-0'), id: formatCursor(cursorOf('0-0')), reason: 'missed-by-node' });
        } else if (lastId !== '0-0' && (await trimmedAfter(lastId))) {
          // Trimmed past this node's position while it was disconnected.
          gaps++;
          notify({ kind: 'gap', cursor: cursorOf(lastId), id: formatCursor(cursorOf(lastId)), reason: 'missed-by-node' });
        }
        for (;;) {
          if (closed) return;
          const reply = (await command(reader, ['XREAD', 'COUNT', String(READ_BATCH), 'BLOCK', String(READ_BLOCK_MS), 'STREAMS', stream, lastId])) as
            | [string, StreamEntry[]][]
            | null;
          reachable();
          for (const entry of reply?.[0]?.[1] ?? []) {
            lastId = entry[0];
            const record = recordOf(entry);
            if (record) notify(record);
          }
        }
      } catch (error) {
        if (closed) return;
        unreachable('reading the event stream', error);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  };

  // ---- appending: in order, never waiting the caller, buffered while Redis is away ----
  const pending: string[][] = [];
  let overflowed = false;
  let writerClosed = false;
  let flushing: Promise<void> | null = null;
  const xadd = (fields: string[]) => command(writer, ['XADD', stream, 'MAXLEN', '~', String(Math.max(options.maxEvents, 1)), '*', ...fields]);

  /** Appends what is pending, in order; one run at a time (callers share it). */
  const flush = () => (flushing ??= drain().finally(() => (flushing = null)));
  const drain = async () => {
    while (!writerClosed && (pending.length > 0 || overflowed)) {
      if (!writer.isReady) {
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        continue;
      }
      try {
        if (pending.length > 0) {
          await xadd(pending[0]);
          pending.shift();
        } else {
          // Everything kept is in; now say that some appends were dropped (after them, before anything newer).
          await xadd(['g', 'buffer-overflow']);
          overflowed = false;
        }
      } catch (error) {
        unreachable('appending to the event stream', error);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  };

  const headCursor = () => (lastId === '0-0' ? null : formatCursor(cursorOf(lastId)));
  const reading = readLoop();

  return {
    append(message) {
      if (closed) return;
      if (pending.length >= options.bufferSize) {
        if (!overflowed) onError(`Redis is unreachable and ${options.bufferSize} appends are waiting: newer events are dropped (clients get a gap)`);
        overflowed = true;
        gaps++;
      } else pending.push(['m', JSON.stringify(message)]);
      void flush();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async readAfter(value): Promise<ReadResult> {
      const head = headCursor();
      const cursor = parseCursor(value);
      if (!cursor) return { ok: false, reason: 'invalid-cursor', head };
      if (cursor.epoch !== epoch) return { ok: false, reason: 'unknown-log', head };
      if (cursor.major < now() - options.maxAgeMs) return { ok: false, reason: 'expired', head };
      const id = `${cursor.major}-${cursor.minor}`;
      try {
        if (await trimmedAfter(id)) return { ok: false, reason: 'expired', head };
        // Only what this node has delivered live: the seam between replay and live is then exact.
        const until = cursorOf(lastId);
        const records: LogRecord[] = [];
        let from = id;
        for (;;) {
          const entries = await rangeAfter(writer, from, READ_BATCH);
          for (const entry of entries) {
            if (compareCursors(cursorOf(entry[0]), until) > 0) return { ok: true, records };
            const record = recordOf(entry);
            if (record) records.push(record);
          }
          if (entries.length < READ_BATCH) return { ok: true, records };
          from = entries[entries.length - 1][0];
        }
      } catch (error) {
        onError('reading the event stream for a replay failed', error);
        return { ok: false, reason: 'missed-by-node', head };
      }
    },
    head: headCursor,
    stats: () => ({ kind: 'redis', retained: 0, buffered: pending.length, gaps }),
    async close() {
      closed = true;
      listeners.clear();
      // The reader is blocked in XREAD: destroying its connection ends it.
      reader.destroy();
      await reading.catch(() => undefined);
      // Appends still waiting get one chance to reach Redis before the writer goes.
      await Promise.race([flush(), new Promise((resolve) => setTimeout(resolve, 1000))]);
      writerClosed = true;
      writer.destroy();
    },
  };
};
