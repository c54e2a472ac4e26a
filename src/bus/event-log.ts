import type { BusMessage } from '../events/change-event';
import type { LogRecord, ReadResult } from '../events/log-record';

export type LogListener = (record: LogRecord) => void;

/**
 * The ordered log every captured change (and every `$io.emit`) is appended to before any transport sees it. Live
 * delivery reads it in order; a client that comes back reads it from its cursor (replay). Both go through the same
 * delivery path, authorized at that moment. Implementations: one node's memory ring, or Redis Streams (shared by
 * every node, same cursors everywhere).
 */
export interface EventLog {
  /** Appends a message. Never waits on the network: the REST write that caused it must not. */
  append(message: BusMessage): void;
  /** Every record from now on, in log order, each once (this node's own appends included). Returns the disposer. */
  subscribe(listener: LogListener): () => void;
  /** The records after `cursor` (a client's), up to the newest, or why they cannot be given. */
  readAfter(cursor: string): Promise<ReadResult>;
  /** The newest position (a client told of a gap resumes from there), or null while the log is empty. */
  head(): string | null;
  stats(): EventLogStats;
  close(): Promise<void>;
}

export interface EventLogStats {
  kind: 'memory' | 'redis';
  /** Records the log keeps for replay (memory), or the stream's length (Redis). */
  retained: number;
  /** Appends waiting for Redis (0 for the memory log). */
  buffered: number;
  /** Gaps announced so far (buffer overflows, missed ranges). */
  gaps: number;
}
