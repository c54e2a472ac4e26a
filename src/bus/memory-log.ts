import type { BusMessage } from '../events/change-event';
import { formatCursor, newEpoch, parseCursor } from '../events/cursor';
import type { LogRecord, MessageRecord, ReadResult } from '../events/log-record';
import type { EventLog, LogListener } from './event-log';

interface Kept {
  record: MessageRecord;
  at: number;
}

/**
 * The single-node event log: a bounded ring in memory (`replay.maxEvents` records, none older than
 * `replay.maxAgeMs`). Its epoch is new with every process, so after a restart a client's cursor is recognized as
 * belonging to the previous life and answered with a gap. Listeners are called on a microtask, never inside the
 * caller of `append` (the capture of a REST write).
 */
export const createMemoryLog = (options: {
  maxEvents: number;
  maxAgeMs: number;
  onListenerError: (error: unknown) => void;
  now?: () => number;
}): EventLog => {
  const now = options.now ?? Date.now;
  const epoch = newEpoch();
  const listeners = new Set<LogListener>();
  // A ring: `kept[(first + i) % capacity]` for i < size.
  const capacity = Math.max(options.maxEvents, 0);
  const kept: (Kept | undefined)[] = new Array<Kept | undefined>(capacity);
  let first = 0;
  let size = 0;
  let sequence = 0;
  /** The highest position no longer kept: a cursor before it has missed something. */
  let lastDropped = 0;

  const dropOldest = () => {
    const oldest = kept[first]!;
    lastDropped = oldest.record.cursor.major;
    kept[first] = undefined;
    first = (first + 1) % capacity;
    size--;
  };
  const dropExpired = () => {
    const limit = now() - options.maxAgeMs;
    while (size > 0 && kept[first]!.at < limit) dropOldest();
  };

  const notify = (record: LogRecord) => {
    for (const listener of listeners) {
      try {
        listener(record);
      } catch (error) {
        options.onListenerError(error);
      }
    }
  };

  const headCursor = () => (sequence > 0 ? formatCursor({ epoch, major: sequence, minor: 0 }) : null);

  return {
    append(message: BusMessage) {
      const cursor = { epoch, major: ++sequence, minor: 0 };
      const record: MessageRecord = { kind: 'message', cursor, id: formatCursor(cursor), message };
      if (capacity > 0) {
        if (size === capacity) dropOldest();
        kept[(first + size) % capacity] = { record, at: now() };
        size++;
      } else lastDropped = sequence;
      queueMicrotask(() => notify(record));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async readAfter(value) {
      const head = headCursor();
      const cursor = parseCursor(value);
      if (!cursor) return { ok: false, reason: 'invalid-cursor', head } satisfies ReadResult;
      if (cursor.epoch !== epoch || cursor.minor !== 0 || cursor.major > sequence) return { ok: false, reason: 'unknown-log', head };
      dropExpired();
      if (cursor.major < lastDropped) return { ok: false, reason: 'expired', head };
      const records: LogRecord[] = [];
      for (let i = 0; i < size; i++) {
        const { record } = kept[(first + i) % capacity]!;
        if (record.cursor.major > cursor.major) records.push(record);
      }
      return { ok: true, records };
    },
    head: headCursor,
    stats() {
      dropExpired();
      return { kind: 'memory', retained: size, buffered: 0, gaps: 0 };
    },
    async close() {
      listeners.clear();
      kept.fill(undefined);
      size = 0;
    },
  };
};
