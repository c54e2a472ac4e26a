export interface RetryOptions {
  /** Reconnection attempts in a row before subscriptions fail (default: unlimited; a realtime view should heal). */
  attempts?: number;
  /** The first delay (default 1 s); each further attempt doubles it. */
  initialDelayMs?: number;
  /** The longest delay (default 30 s). */
  maxDelayMs?: number;
}

export const DEFAULT_RETRY = { attempts: Number.POSITIVE_INFINITY, initialDelayMs: 1000, maxDelayMs: 30_000 } as const;

/**
 * The delay before reconnection attempt `retries` (0 for the first): exponential, capped, with "equal jitter"
 * (half fixed, half random) so a server restart is not followed by every client reconnecting in the same instant.
 */
export const backoffDelay = (retries: number, options: RetryOptions = {}, random: () => number = Math.random): number => {
  const initial = options.initialDelayMs ?? DEFAULT_RETRY.initialDelayMs;
  const max = options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  // 2 ** 31 overflows nothing, but past ~30 doublings the cap decides anyway.
  const ceiling = Math.min(max, initial * 2 ** Math.min(Math.max(retries, 0), 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
