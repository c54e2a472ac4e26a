import type { GapRecord, LogRecord } from '../events/log-record';
import type { DeliverySlices } from './delivery-slices';
import type { RealtimeContext } from '../context';

/** A content type whose waiting `updated`/`published` events may be merged (only the latest version is delivered). */
export type ConflatesType = (uid: string) => boolean;

export interface DeliveryQueueStats {
  /** Records and jobs waiting for their turn. */
  pending: number;
  /** Records skipped because a newer version of the same document was waiting behind them (conflation). */
  conflated: number;
  /** Records dropped because more than `maxPending` were waiting (their subscribers got a gap signal). */
  overflowed: number;
}

type Item = { kind: 'record'; record: LogRecord; key: string | null } | { kind: 'job'; job: () => Promise<void> };

/**
 * Records delivered together at most, when that many waited: each subscriber gets them in one write. Bounded so a
 * run's results (one serialized message per group and record) stay small.
 */
const MAX_RUN = 64;

/** Actions where a later event of the same document, action and version makes an earlier one redundant. */
const CONFLATABLE_ACTIONS = new Set(['updated', 'published']);

const conflationKey = (record: LogRecord, conflates: ConflatesType): string | null => {
  if (record.kind !== 'message' || record.message.type !== 'change') return null;
  const { event } = record.message;
  if (!CONFLATABLE_ACTIONS.has(event.action) || !conflates(event.uid)) return null;
  return `${event.uid}\u0000${event.action}\u0000${event.documentId}\u0000${event.locale ?? ''}\u0000${event.status}`;
};

/**
 * One transport's delivery order: records of the log (and jobs such as a replay, which must see the records queued
 * before them) run one after another, each to completion, in slices (`pace` between items), so subscribers see
 * records in log order and the event loop stays free for the CMS. Records that waited are delivered as a run (up
 * to MAX_RUN): the transport writes each subscriber's share of the run together, one write instead of one per
 * record, which is how a server that fell behind catches up (adaptive batching; when it keeps up a run is one).
 *
 * When delivery falls behind, what waits is bounded: with conflation on for a content type, an update waiting behind
 * a newer update of the same document is skipped (the newer one carries the latest version); past `maxPending`
 * waiting items, the oldest records are dropped and one gap record takes their place (clients refetch), rather
 * than memory growing without end.
 */
export const createDeliveryQueue = (options: {
  /** Delivers a run of records in order (one when delivery keeps up; several that waited when it is behind). */
  deliver: (records: readonly LogRecord[]) => Promise<void>;
  slices: DeliverySlices;
  maxPending: number;
  conflates: ConflatesType;
  onError: (error: unknown) => void;
}) => {
  const { deliver, slices, maxPending, conflates, onError } = options;
  const items: Item[] = [];
  let head = 0;
  /** The newest waiting record of each conflation key: older ones with that key are skipped. */
  const newest = new Map<string, LogRecord>();
  let running: Promise<void> | null = null;
  const idle: (() => void)[] = [];
  const stats = { conflated: 0, overflowed: 0 };

  const waiting = () => items.length - head;

  /**
   * Drops the oldest waiting records until half the room is free again; one gap record takes the place of the first
   * one, at the position of the last one (clients resume after it). Jobs are kept: a replay must still run.
   */
  const overflow = () => {
    const rest = items.slice(head);
    items.length = 0;
    head = 0;
    let toDrop = rest.length - Math.floor(maxPending / 2);
    let gap: GapRecord | null = null;
    for (const item of rest) {
      if (toDrop > 0 && item.kind === 'record' && item.record.kind === 'message') {
        toDrop--;
        stats.overflowed++;
        if (item.key && newest.get(item.key) === item.record) newest.delete(item.key);
        const { cursor, id } = item.record;
        if (gap) Object.assign(gap, { cursor, id });
        else items.push({ kind: 'record', record: (gap = { kind: 'gap', cursor, id, reason: 'overloaded' }), key: null });
        continue;
      }
      items.push(item);
    }
  };

  const take = (): Item | undefined => {
    if (head >= items.length) return undefined;
    const item = items[head++];
    // Compact now and then rather than shifting on every take.
    if (head > 1024 && head * 2 > items.length) {
      items.splice(0, head);
      head = 0;
    }
    return item;
  };

  /** Whether a waiting record gives way to a newer one of its document (and forgets it when it does not). */
  const superseded = (item: Item & { kind: 'record' }) => {
    if (!item.key) return false;
    if (newest.get(item.key) !== item.record) {
      stats.conflated++;
      return true;
    }
    newest.delete(item.key);
    return false;
  };

  /** The records waiting next, up to MAX_RUN, up to the next job (a replay must see exactly what came before it). */
  const takeRun = (first: Item & { kind: 'record' }): LogRecord[] => {
    const records = superseded(first) ? [] : [first.record];
    while (records.length < MAX_RUN && head < items.length && items[head].kind === 'record') {
      const item = take() as Item & { kind: 'record' };
      if (!superseded(item)) records.push(item.record);
    }
    return records;
  };

  const run = async () => {
    for (let item = take(); item; item = take()) {
      try {
        if (item.kind === 'job') await item.job();
        else {
          const records = takeRun(item);
          if (records.length > 0) await deliver(records);
        }
      } catch (error) {
        onError(error);
      }
      const pause = slices.pace();
      if (pause) await pause;
    }
    running = null;
    for (const resolve of idle.splice(0)) resolve();
  };

  const enqueue = (item: Item) => {
    items.push(item);
    if (waiting() > maxPending) overflow();
    running ??= run();
  };

  return {
    /** Queues a record of the log for delivery. */
    push(record: LogRecord) {
      const key = conflationKey(record, conflates);
      if (key) newest.set(key, record);
      enqueue({ kind: 'record', record, key });
    },
    /** Runs a job in delivery order (after every record queued before it). Resolves when it ran. */
    schedule(job: () => Promise<void>): Promise<void> {
      return new Promise<void>((resolve) =>
        enqueue({
          kind: 'job',
          job: () => job().finally(resolve),
        }),
      );
    },
    /** Resolves when nothing is waiting or running. */
    drain(): Promise<void> {
      if (!running) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
    stats: (): DeliveryQueueStats => ({ pending: waiting(), ...stats }),
  };
};

export type DeliveryQueue = ReturnType<typeof createDeliveryQueue>;

/** A transport's delivery queue as the context configures it: its slices, `delivery.maxPendingEvents`, conflation per content type. */
export const createTransportQueue = (
  context: Pick<RealtimeContext, 'slices' | 'config' | 'settings' | 'log' | 'monitor'>,
  transport: string,
  deliver: (records: readonly LogRecord[]) => Promise<void>,
): DeliveryQueue =>
  createDeliveryQueue({
    deliver,
    slices: context.slices,
    maxPending: context.config.delivery.maxPendingEvents,
    conflates: (uid) => context.settings.get(uid)?.conflate ?? false,
    onError(error) {
      context.log.error(`${transport} delivery failed`, error);
      context.monitor.error('delivery');
    },
  });
