import type { RealtimeSink } from './request.js';

/**
 * Turns a sink-based subscription into an async iterator (`for await (const result of client.iterate(...))`).
 * Results are buffered until read; leaving the loop (`break`, `return`) unsubscribes.
 */
export const iterateSubscription = <T>(subscribe: (sink: RealtimeSink<T>) => () => void): AsyncIterableIterator<T> => {
  const pending: T[] = [];
  let done = false;
  let failure: { error: unknown } | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const unsubscribe = subscribe({
    next(value) {
      pending.push(value);
      notify();
    },
    error(error) {
      failure = { error };
      done = true;
      notify();
    },
    complete() {
      done = true;
      notify();
    },
  });

  const iterator: AsyncIterableIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      while (pending.length === 0 && !done) await new Promise<void>((resolve) => (wake = resolve));
      if (pending.length > 0) return { value: pending.shift() as T, done: false };
      if (failure) {
        const { error } = failure;
        failure = null;
        throw error;
      }
      return { value: undefined, done: true };
    },
    async return(): Promise<IteratorResult<T>> {
      done = true;
      pending.length = 0;
      unsubscribe();
      notify();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
};
