/** `0.0031` s → `3 ms`, `1.24` → `1.2 s`; `null` (nothing observed) → `–`. */
export const formatSeconds = (seconds: number | null) => {
  if (seconds === null) return '–';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  return `${seconds.toFixed(1)} s`;
};

/** A rate that reads well at any size: `12`, `2.5`, `0.03` (one significant digit below 0.1). */
export const formatRate = (value: number) => {
  if (value === 0 || value >= 10) return String(Math.round(value));
  if (value < 0.1) return value.toPrecision(1);
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
};
