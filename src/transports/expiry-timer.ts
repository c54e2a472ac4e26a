/** setTimeout's longest delay (about 24.8 days); longer expiries are reached in several steps. */
const MAX_DELAY = 2 ** 31 - 1;

/** Calls `onExpired` when the epoch-ms `expiresAt` passes; `null` = never. Returns the canceller. */
export const expiryTimer = (expiresAt: number | null, onExpired: () => void): (() => void) => {
  if (expiresAt === null) return () => undefined;
  let timer: NodeJS.Timeout;
  const arm = () => {
    const remaining = expiresAt - Date.now();
    if (remaining <= 0) return onExpired();
    timer = setTimeout(arm, Math.min(remaining, MAX_DELAY));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
};
