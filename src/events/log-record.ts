import type { BusMessage } from './change-event';
import type { Cursor } from './cursor';

/** One entry of the event log: a message (a captured change or a `$io.emit`) at its position. */
export interface MessageRecord {
  kind: 'message';
  cursor: Cursor;
  /** `formatCursor(cursor)`, computed once: it goes on the wire with every delivery. */
  id: string;
  message: BusMessage;
}

/**
 * Events were lost between the previous record and this position (a node's outage buffer overflowed, the stream
 * was trimmed past what a node had read): every subscriber is told, so no client drifts silently.
 */
export interface GapRecord {
  kind: 'gap';
  cursor: Cursor;
  id: string;
  reason: GapReason;
}

export type LogRecord = MessageRecord | GapRecord;

/** Why a client cannot be brought up to date from the log: it must refetch what it shows. */
export type GapReason =
  /** The cursor is older than what the log keeps (`replay.maxEvents` / `replay.maxAgeMs`). */
  | 'expired'
  /** The cursor belongs to another life of the log (a server restart with the memory log, a Redis that lost its data). */
  | 'unknown-log'
  /** The cursor is not a cursor. */
  | 'invalid-cursor'
  /** Events were dropped while Redis was unreachable (the local buffer overflowed). */
  | 'buffer-overflow'
  /** This node could not read part of the stream (trimmed while it was disconnected). */
  | 'missed-by-node'
  /** This node fell too far behind delivering (more than `delivery.maxPendingEvents` waiting) and skipped events. */
  | 'overloaded';

/** What reading after a cursor gives: the records in order, or why that is impossible (then the newest position). */
export type ReadResult = { ok: true; records: LogRecord[] } | { ok: false; reason: GapReason; head: string | null };
