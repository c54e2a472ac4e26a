/**
 * A push-based AsyncIterableIterator with a bound: when a consumer falls `limit` items behind, the queue ends
 * (with `onOverflow`) instead of growing without bound. `onReturn` runs once when the consumer stops.
 */
export const createAsyncQueue = <T>(options: { limit: number; onReturn: () => void; onOverflow?: () => T | undefined }) => {
  const items: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | null = null;
  let done = false;

  const finish = () => {
    if (done) return;
    done = true;
    options.onReturn();
    waiting?.({ value: undefined, done: true });
    waiting = null;
  };

  const iterator: AsyncIterableIterator<T> = {
    next() {
      if (items.length > 0) return Promise.resolve({ value: items.shift()!, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return() {
      items.length = 0;
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error?: unknown) {
      finish();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };

  return {
    iterator,
    push(item: T) {
      if (done) return;
      if (waiting) {
        const resolve = waiting;
        waiting = null;
        resolve({ value: item, done: false });
        return;
      }
      if (items.length >= options.limit) {
        const last = options.onOverflow?.();
        items.length = 0;
        if (last !== undefined) items.push(last);
        // Let the consumer read the last item (if any), then end.
        done = true;
        options.onReturn();
        return;
      }
      items.push(item);
    },
    /** Ends the stream after what is queued has been read. */
    end() {
      if (items.length === 0) finish();
      else {
        done = true;
        options.onReturn();
      }
    },
  };
};
