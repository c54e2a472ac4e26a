/** A transport's connections as the budget sees them (no per-connection object: it reads the transport's own). */
export interface BacklogSource<T> {
  connections(): Iterable<T>;
  /** Bytes written to it that its client has not taken yet. */
  buffered(connection: T): number;
  /** Closes it as a slow consumer (1013 / disconnect), reporting it as the transport does. */
  shed(connection: T): void;
}

export interface BacklogBudgetStats {
  /** Outgoing bytes buffered for all tracked connections at the last check. */
  bufferedBytes: number;
  /** Connections closed because the total was over the budget. */
  shed: number;
}

/**
 * The global byte budget of outgoing data: each transport bounds what one socket may hold (its own
 * `maxBufferedBytes`, checked on every write); this bounds all of them together. Every `intervalMs` it sums what the
 * connections hold (one property read each) and, while the total is over `maxBytes`, closes the connections that
 * hold the most: the clients that fall furthest behind lose their connection (and resume with their cursor), the
 * server's memory does not grow. Between checks the total may overshoot by what is written in one interval.
 */
export const createBacklogBudget = (options: { maxBytes: number; intervalMs?: number }) => {
  const sources = new Set<BacklogSource<unknown>>();
  const stats: BacklogBudgetStats = { bufferedBytes: 0, shed: 0 };

  /** The connections holding bytes, the most first (only when over budget: the sum alone allocates nothing). */
  const holders = () => {
    const holding: { source: BacklogSource<unknown>; connection: unknown; bytes: number }[] = [];
    for (const source of sources) {
      for (const connection of source.connections()) {
        const bytes = source.buffered(connection);
        if (bytes > 0) holding.push({ source, connection, bytes });
      }
    }
    return holding.sort((a, b) => b.bytes - a.bytes);
  };

  const check = () => {
    let total = 0;
    for (const source of sources) for (const connection of source.connections()) total += Math.max(0, source.buffered(connection));
    if (total > options.maxBytes) {
      for (const { source, connection, bytes } of holders()) {
        if (total <= options.maxBytes) break;
        stats.shed++;
        total -= bytes;
        source.shed(connection);
      }
    }
    stats.bufferedBytes = total;
    return total;
  };

  const timer = setInterval(check, options.intervalMs ?? 250);
  timer.unref();

  return {
    /** Counts a transport's connections in until the returned function is called. */
    track<T>(source: BacklogSource<T>): () => void {
      sources.add(source);
      return () => sources.delete(source);
    },
    /** Sums now (and sheds when over); the timer does this on its own. */
    check,
    stats: (): BacklogBudgetStats => ({ ...stats }),
    stop() {
      clearInterval(timer);
      sources.clear();
    },
  };
};

export type BacklogBudget = ReturnType<typeof createBacklogBudget>;
