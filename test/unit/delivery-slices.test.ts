import { describe, expect, it } from 'vitest';
import { createDeliverySlices } from '../../src/delivery/delivery-slices';

/** A writable that records what reached the "network": writes while corked leave together at uncork. */
const fakeSocket = () => {
  let corked = 0;
  let held: string[] = [];
  const flushed: string[][] = [];
  return {
    flushed,
    cork: () => void corked++,
    uncork() {
      if (corked === 0) return;
      corked--;
      if (corked === 0 && held.length) {
        flushed.push(held);
        held = [];
      }
    },
    write(data: string) {
      if (corked) held.push(data);
      else flushed.push([data]);
    },
  };
};

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('delivery slices', () => {
  it('holds what a slice writes to a socket and lets it out in one write when the slice ends', async () => {
    const slices = createDeliverySlices({ sliceMs: 1000 });
    const socket = fakeSocket();
    for (const event of ['e1', 'e2', 'e3']) {
      slices.hold(socket);
      socket.write(event);
    }
    expect(socket.flushed).toEqual([]);
    await nextTurn();
    expect(socket.flushed).toEqual([['e1', 'e2', 'e3']]);
    expect(slices.stats()).toMatchObject({ slices: 1, heldWrites: 3, flushes: 1, yields: 0 });
  });

  it('an idle server writes a lone event at the end of the current task (no added wait)', async () => {
    const slices = createDeliverySlices({ sliceMs: 1000 });
    const socket = fakeSocket();
    slices.hold(socket);
    socket.write('only');
    await nextTurn();
    expect(socket.flushed).toEqual([['only']]);
  });

  it('pace() yields once the slice has used its time: held writes leave and pending I/O runs before the next slice', async () => {
    let clock = 0;
    const slices = createDeliverySlices({ sliceMs: 10, now: () => clock });
    const socket = fakeSocket();
    slices.hold(socket);
    socket.write('a');
    expect(slices.pace()).toBeNull();
    clock = 11;
    let ioRan = false;
    setImmediate(() => (ioRan = true));
    const pause = slices.pace();
    expect(pause).not.toBeNull();
    // The slice ended at the pause: what it held is out before anything else runs.
    expect(socket.flushed).toEqual([['a']]);
    await pause;
    expect(ioRan).toBe(true);
    expect(slices.stats()).toMatchObject({ yields: 1, slices: 1 });
    expect(slices.stats().longestSliceMs).toBe(11);
  });

  it('once one loop yields, every loop that paces before the I/O phase waits too (no slice of its own)', async () => {
    let clock = 0;
    const slices = createDeliverySlices({ sliceMs: 5, now: () => clock });
    expect(slices.pace()).toBeNull();
    clock = 6;
    const first = slices.pace();
    clock = 7;
    const second = slices.pace();
    expect(first).not.toBeNull();
    expect(second).toBe(first);
    await first;
    expect(slices.pace()).toBeNull();
    expect(slices.stats().yields).toBe(1);
  });

  it('a long fan-out loop that paces lets other work run every slice', async () => {
    let clock = 0;
    const slices = createDeliverySlices({ sliceMs: 5, now: () => clock });
    // Work that arrives while delivery is busy (a REST request): it must not wait for the whole loop.
    const otherWorkAt: number[] = [];
    let steps = 0;
    const other = () => {
      otherWorkAt.push(steps);
      if (steps < 100) setImmediate(other);
    };
    setImmediate(other);
    for (; steps < 100; steps++) {
      clock += 1; // each step of the loop costs 1 ms
      const pause = slices.pace();
      if (pause) await pause;
    }
    // A slice ends at the first look at the clock once 5 ms are used (6 steps here); the other work ran between
    // every two slices.
    expect(slices.stats().yields).toBe(16);
    expect(otherWorkAt.length).toBeGreaterThanOrEqual(16);
    expect(Math.max(...otherWorkAt.slice(1).map((at, i) => at - otherWorkAt[i]))).toBeLessThanOrEqual(6);
  });
});
