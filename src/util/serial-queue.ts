/** Runs async jobs one after another (keeps publish order equal to write order); a failing job never stops the queue. */
export const createSerialQueue = (onError: (error: unknown) => void) => {
  let tail: Promise<void> = Promise.resolve();
  return {
    /** Resolves when this job has run (never rejects: failures go to `onError`). */
    push(job: () => Promise<void>): Promise<void> {
      tail = tail.then(job).catch(onError);
      return tail;
    },
    /** Resolves when every job pushed so far has finished. */
    drain: () => tail,
  };
};
