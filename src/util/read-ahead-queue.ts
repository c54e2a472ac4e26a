import { createSerialQueue } from './serial-queue';

/**
 * Jobs in two steps: a `read` that may run ahead, up to `readsAhead` jobs at a time, and a `then` that runs one job
 * after another in push order. A slot is held from the read's start until its job's `then` starts, so at most
 * `readsAhead` results wait in memory however far behind `then` is; slots are granted in push order, so the job
 * `then` waits for always has one (no deadlock). A failing read or `then` goes to `onError` and never stops the queue.
 */
export const createReadAheadQueue = (readsAhead: number, onError: (error: unknown) => void) => {
  const serial = createSerialQueue(onError);
  const waiting: (() => void)[] = [];
  let held = 0;
  const acquire = (): Promise<void> => {
    if (held < readsAhead) {
      held++;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  // The slot passes straight to the next waiting job, so `held` only drops when nobody waits.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else held--;
  };

  return {
    /** Resolves when this job's `then` has run (never rejects). */
    push<T>(read: () => Promise<T>, then: (value: T) => Promise<void>): Promise<void> {
      const value = acquire().then(read);
      // Its error is reported when the job's turn comes, not as an unhandled rejection before that.
      value.catch(() => undefined);
      return serial.push(async () => {
        let result: T;
        try {
          result = await value;
        } finally {
          release();
        }
        await then(result);
      });
    },
    /** Resolves when every job pushed so far has finished. */
    drain: serial.drain,
  };
};
