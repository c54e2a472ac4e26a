/** Runs async jobs one after another (keeps publish order equal to write order); a failing job never stops the queue. */
export const createSerialQueue = (onError: (error: unknown) => void) => {
  let tail: Promise<void> = Promise.resolve();
  return {
    push(job: () => Promise<void>) {
      tail = tail.then(job).catch(onError);
    },
    /** Resolves when every job pushed so far has finished. */
    drain: () => tail,
  };
};
