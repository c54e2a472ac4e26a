// Percentiles for the bench runners, and a latency histogram that subscriber processes fill in constant memory and
// the runner merges (millions of deliveries per phase would not fit as arrays sent over IPC).

/** The p-th percentile (nearest rank, rounding down) of `values`; NaN when empty. Does not modify `values`. */
export const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
};

/** The lower median (of 3 runs: the middle one). */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};

/** Whole-millisecond buckets up to `maxMs`; the last bucket holds everything slower. */
export const createHistogram = (maxMs = 120_000) => {
  const counts = new Uint32Array(maxMs + 1);
  return {
    add(ms) {
      counts[ms < 0 ? 0 : ms > maxMs ? maxMs : Math.round(ms)]++;
    },
    reset() {
      counts.fill(0);
    },
    /** [ms, count] pairs of the non-empty buckets (what goes over IPC). */
    sparse() {
      const pairs = [];
      for (let ms = 0; ms <= maxMs; ms++) if (counts[ms]) pairs.push([ms, counts[ms]]);
      return pairs;
    },
  };
};

/** Sums sparse histograms (one per subscriber process). */
export const mergeSparse = (histograms) => {
  const merged = new Map();
  for (const pairs of histograms) for (const [ms, count] of pairs) merged.set(ms, (merged.get(ms) ?? 0) + count);
  return [...merged].sort((a, b) => a[0] - b[0]);
};

/** The p-th percentile (nearest rank, as `percentile`) of a sorted sparse histogram; NaN when empty. */
export const sparsePercentile = (pairs, p) => {
  const total = pairs.reduce((sum, [, count]) => sum + count, 0);
  if (!total) return NaN;
  const rank = Math.min(total - 1, Math.floor((p / 100) * total));
  let seen = 0;
  for (const [ms, count] of pairs) {
    seen += count;
    if (seen > rank) return ms;
  }
  return pairs.at(-1)[0];
};
