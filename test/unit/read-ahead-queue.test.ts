/**
 * The read-ahead queue capture uses: reads overlap (up to the limit), `then` steps run one at a time in push
 * order, at most `readsAhead` results wait however slow `then` is, and failures are reported without stopping it.
 */
import { describe, expect, it } from 'vitest';
import { createReadAheadQueue } from '../../src/util/read-ahead-queue';

/** A promise and the functions that settle it. */
const deferred = <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('read-ahead queue', () => {
  it('runs reads at the same time and their `then` steps in push order, whichever read finishes first', async () => {
    const queue = createReadAheadQueue(4, (error) => {
      throw error;
    });
    const reads = [deferred<string>(), deferred<string>(), deferred<string>()];
    const started: number[] = [];
    const done: string[] = [];
    for (const [i, read] of reads.entries()) {
      void queue.push(
        () => (started.push(i), read.promise),
        async (value) => void done.push(value),
      );
    }
    await turn();
    expect(started).toEqual([0, 1, 2]);
    reads[2].resolve('c');
    reads[1].resolve('b');
    await turn();
    expect(done).toEqual([]);
    reads[0].resolve('a');
    await queue.drain();
    expect(done).toEqual(['a', 'b', 'c']);
  });

  it('starts no more than `readsAhead` reads before their `then` steps ran, however slow `then` is', async () => {
    const queue = createReadAheadQueue(2, (error) => {
      throw error;
    });
    const started: number[] = [];
    const gate = deferred<void>();
    for (let i = 0; i < 5; i++) {
      void queue.push(
        async () => (started.push(i), i),
        async (value) => {
          if (value === 0) await gate.promise;
        },
      );
    }
    await turn();
    // Job 0's `then` is stuck: its slot went back when `then` started, so jobs 1 and 2 read ahead, not 3 and 4.
    expect(started).toEqual([0, 1, 2]);
    gate.resolve();
    await queue.drain();
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('reports a failing read or `then` and goes on with the next job', async () => {
    const errors: string[] = [];
    const queue = createReadAheadQueue(2, (error) => errors.push((error as Error).message));
    const done: number[] = [];
    const then = async (value: number) => {
      if (value === 2) throw new Error('then 2 failed');
      done.push(value);
    };
    void queue.push(async () => 1, then);
    void queue.push(() => Promise.reject(new Error('read failed')), then);
    void queue.push(async () => 2, then);
    void queue.push(async () => 3, then);
    await queue.drain();
    expect(done).toEqual([1, 3]);
    expect(errors).toEqual(['read failed', 'then 2 failed']);
  });
});
