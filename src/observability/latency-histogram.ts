/**
 * Upper bounds (seconds) of the capture-to-write latency buckets: from a millisecond (same process, idle) to
 * ten seconds (a backlog). Prometheus' own default buckets, plus 1 ms.
 */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface HistogramSnapshot {
  /** Cumulative counts per upper bound (`le`), the last one `+Inf`, as Prometheus exposes them. */
  buckets: { le: number; count: number }[];
  sum: number;
  count: number;
}

/**
 * A fixed-bucket histogram cheap enough for the per-write path (an array increment; prom-client's own
 * `Histogram.observe` costs about 0.5 µs, which at thousands of subscribers per event adds up). Exposed to
 * prom-client as a custom metric, and read by the admin page for its percentiles.
 */
export const createLatencyHistogram = (bounds: readonly number[] = LATENCY_BUCKETS_SECONDS) => {
  // Non-cumulative counts; index bounds.length is the +Inf bucket.
  const counts = new Array<number>(bounds.length + 1).fill(0);
  let sum = 0;
  let count = 0;

  return {
    /** Records `times` observations of `seconds` (a write to `times` subscribers at once). */
    observe(seconds: number, times = 1) {
      if (!(times > 0) || !Number.isFinite(seconds)) return;
      const value = Math.max(0, seconds);
      let index = 0;
      while (index < bounds.length && value > bounds[index]) index++;
      counts[index] += times;
      sum += value * times;
      count += times;
    },
    snapshot(): HistogramSnapshot {
      let cumulative = 0;
      const buckets = bounds.map((le, index) => ({ le, count: (cumulative += counts[index]) }));
      buckets.push({ le: Infinity, count: count });
      return { buckets, sum, count };
    },
  };
};

export type LatencyHistogram = ReturnType<typeof createLatencyHistogram>;

/**
 * The q-quantile (0..1) estimated from cumulative buckets the way Prometheus' `histogram_quantile` does
 * (linear within the bucket); `null` without observations. A value in the +Inf bucket reports the last bound.
 */
export const histogramQuantile = (snapshot: HistogramSnapshot, q: number): number | null => {
  if (snapshot.count === 0) return null;
  const rank = q * snapshot.count;
  let lower = 0;
  let below = 0;
  for (const { le, count } of snapshot.buckets) {
    if (count >= rank) {
      if (le === Infinity) return lower;
      const inBucket = count - below;
      return inBucket === 0 ? le : lower + ((le - lower) * (rank - below)) / inBucket;
    }
    lower = le;
    below = count;
  }
  return lower;
};
