/** What a slice holds back: a socket or an HTTP response (Node's `cork`/`uncork`). */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

export interface DeliverySlicesStats {
  /** Slices that ran (a slice ends when delivery yields or has nothing left to do). */
  slices: number;
  /** Times delivery gave the event loop back because its slice had used its time while work remained. */
  yields: number;
  /** The longest slice so far, in milliseconds (what a REST request may wait behind fan-out, at worst). */
  longestSliceMs: number;
  /** Writes held in the current slices so far, and the sockets they went to (writes / flushes = batching). */
  heldWrites: number;
  flushes: number;
}

/**
 * Fan-out runs in slices: a slice lasts at most `sliceMs`, then delivery yields to pending I/O (`setImmediate`:
 * REST requests that arrived meanwhile run before the next slice), so realtime load never monopolizes the event
 * loop the CMS shares. Everything written to a socket during a slice is held (`cork`) and leaves at the end of the
 * slice in one `writev`: when idle a slice is one event and latency is unchanged; when busy a slice carries several
 * events and each socket gets them in one syscall (adaptive batching).
 */
export const createDeliverySlices = (options: { sliceMs: number; now?: () => number }) => {
  const now = options.now ?? (() => performance.now());
  const held = new Set<Corkable>();
  let sliceStart: number | null = null;
  let endScheduled = false;
  /**
   * What releasing one held socket costs (its writev), learned from every slice's end: the writes a slice holds are
   * part of its time, or a slice that held 10,000 sockets would block for their syscalls after "ending" (measured:
   * 280 ms).
   */
  let flushCostMs = 0.02;
  /** Set from the moment a slice yields until the I/O phase has run: every loop that paces meanwhile waits too. */
  let yielding: Promise<void> | null = null;
  const stats: DeliverySlicesStats = { slices: 0, yields: 0, longestSliceMs: 0, heldWrites: 0, flushes: 0 };

  const begin = () => {
    if (sliceStart !== null) return;
    sliceStart = now();
    stats.slices++;
    // The slice also ends when the work runs dry: whatever it held leaves as soon as the current task is over.
    if (!endScheduled) {
      endScheduled = true;
      setImmediate(end);
    }
  };

  /** Ends the slice: every held stream writes what it collected (one writev each). */
  function end() {
    endScheduled = false;
    if (sliceStart === null) return;
    const flushStart = now();
    const count = held.size;
    for (const stream of held) {
      try {
        stream.uncork();
      } catch {
        // A socket destroyed meanwhile has nothing left to write.
      }
    }
    held.clear();
    const done = now();
    if (count > 0) flushCostMs = flushCostMs * 0.7 + ((done - flushStart) / count) * 0.3;
    stats.longestSliceMs = Math.max(stats.longestSliceMs, done - sliceStart);
    stats.flushes += count;
    sliceStart = null;
  }

  return {
    /** Holds `stream`'s writes until the slice ends. Call before writing to it. */
    hold(stream: Corkable) {
      begin();
      stats.heldWrites++;
      if (held.has(stream)) return;
      stream.cork();
      held.add(stream);
    },

    /**
     * Marks a point where delivery may pause. Returns a promise when the slice has used its time (await it: the
     * slice ends, pending I/O runs, the next slice begins), `null` otherwise (go on at once, no await needed).
     */
    pace(): Promise<void> | null {
      // Several loops pace at once (groups, transports, capture): once one yields, all of them do, or each would
      // start a slice of its own and the event loop would wait for all of them.
      if (yielding) return yielding;
      begin();
      if (now() - sliceStart! + held.size * flushCostMs < options.sliceMs) return null;
      stats.yields++;
      end();
      yielding = new Promise<void>((resolve) =>
        setImmediate(() => {
          yielding = null;
          resolve();
        }),
      );
      return yielding;
    },

    stats: (): DeliverySlicesStats => ({ ...stats }),
  };
};

export type DeliverySlices = ReturnType<typeof createDeliverySlices>;
