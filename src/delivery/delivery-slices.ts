import { performance as perfHooks } from 'node:perf_hooks';

const eventLoopUtilization = () => perfHooks.eventLoopUtilization();

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
  /** Milliseconds spent in slices in all: what realtime work took of the event loop. */
  spentMs: number;
  /** Times delivery rested (stayed off the event loop) so that the CMS got its share, and how long in all. */
  rests: number;
  restedMs: number;
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
 *
 * Yielding alone is not enough when delivery always has work: every turn of the event loop a REST request needs then
 * waits behind a slice, and the CMS gets what is left of a saturated core. So delivery also has a share of the loop
 * (`loopShare`, 0-1): while other work (the CMS) keeps the loop busy, delivery rests after each run for as long as
 * keeps its own time at that share of the run's time (the yields within it count). Events that arrive meanwhile wait
 * and leave together in the next run, where a socket's share of several events costs about what one costs: under
 * load, batching grows until delivery fits. When nothing else wants the loop, delivery does not rest.
 */
/** Below this share of the loop, other work is background noise (timers, pings), not a CMS waiting for it. */
const OTHERS_BUSY = 0.05;
/** How fast the measure of other work follows the loop (time constant, ms). */
const OTHERS_WINDOW_MS = 250;
/** The longest rest, whatever a run cost: delivery latency stays bounded. */
const MAX_REST_MS = 1000;

export const createDeliverySlices = (options: {
  sliceMs: number;
  /** Delivery's share of the event loop while other work wants it (1: no limit). */
  loopShare?: number;
  now?: () => number;
  /** Milliseconds the event loop has been busy so far (Node's event loop utilization; a fake in tests). */
  loopActiveMs?: () => number;
}) => {
  const now = options.now ?? (() => performance.now());
  const loopShare = options.loopShare ?? 1;
  const loopActiveMs = options.loopActiveMs ?? (() => eventLoopUtilization().active);
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
  const stats: DeliverySlicesStats = { slices: 0, yields: 0, longestSliceMs: 0, spentMs: 0, rests: 0, restedMs: 0, heldWrites: 0, flushes: 0 };
  /** What other work takes of the loop (0-1), smoothed; and where the last measure was taken. */
  let othersShare = 0;
  let measured: { at: number; active: number; spent: number } | null = null;

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
    stats.spentMs += done - sliceStart;
    stats.flushes += count;
    sliceStart = null;
  }

  /** Slice time so far, the open slice included. */
  const spent = () => stats.spentMs + (sliceStart === null ? 0 : now() - sliceStart);

  /** Updates the share of the loop other work took since the last measure: the loop's busy time minus the slices'. */
  const measureOthers = () => {
    const at = now();
    const active = loopActiveMs();
    const slices = spent();
    if (measured && at > measured.at) {
      const share = Math.max(0, active - measured.active - (slices - measured.spent)) / (at - measured.at);
      othersShare += (1 - Math.exp(-(at - measured.at) / OTHERS_WINDOW_MS)) * (Math.min(1, share) - othersShare);
    }
    measured = { at, active, spent: slices };
  };

  return {
    /** Slice time so far, in milliseconds: a run's cost is the difference across it. */
    spent,

    /** The slices' clock (ms): a run's wall time is the difference across it. */
    now,

    /**
     * After a run that took `costMs` of slice time over `wallMs` (the yields to other work included): a promise to
     * await before the next run while other work wants the loop, so that delivery keeps to `loopShare` of the run's
     * time and its rest; or null to go on at once (nothing else is busy, or the yields already left it its share).
     */
    rest(costMs: number, wallMs: number): Promise<void> | null {
      if (loopShare >= 1) return null;
      measureOthers();
      if (othersShare < OTHERS_BUSY || costMs <= 0) return null;
      const restMs = Math.min(MAX_REST_MS, costMs / loopShare - wallMs);
      if (restMs < 1) return null;
      // What the slice held leaves now, not after the rest.
      if (sliceStart !== null) end();
      stats.rests++;
      stats.restedMs += restMs;
      return new Promise<void>((resolve) => setTimeout(resolve, restMs));
    },

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
