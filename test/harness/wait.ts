type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/** Polls until the check returns a truthy value; fails with the description after the timeout. */
export const waitFor = async <T>(check: () => T | Promise<T>, description: string, timeoutMs = 5000): Promise<Truthy<T>> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves once nothing more arrives: used to assert that something was NOT delivered. The quiet period is
 * a bound on delivery latency in this process, not a performance claim.
 */
export const settle = (ms = 300) => sleep(ms);
