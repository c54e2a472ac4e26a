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

  describe('loop share', () => {
    /** A clock and an event loop whose busy time the test moves: `others(ms)` is work that is not delivery. */
    const loop = (loopShare: number) => {
      let clock = 0;
      let active = 0;
      const slices = createDeliverySlices({ sliceMs: 10_000, loopShare, now: () => clock, loopActiveMs: () => active });
      return {
        slices,
        others(ms: number) {
          clock += ms;
          active += ms;
        },
        idle(ms: number) {
          clock += ms;
        },
        /** A run of delivery costing `ms` of slice time, without yields; returns its cost and wall time as the queue measures them. */
        run(ms: number): [number, number] {
          const before = slices.spent();
          const startedAt = slices.now();
          expect(slices.pace()).toBeNull();
          clock += ms;
          active += ms;
          return [slices.spent() - before, slices.now() - startedAt];
        },
      };
    };

    it('while other work keeps the loop busy, delivery rests after a run to keep to its share', async () => {
      const { slices, others, run } = loop(0.25);
      expect(slices.rest(0, 0)).toBeNull(); // the first look only starts the measure
      others(300);
      const [cost, wall] = run(20);
      expect([cost, wall]).toEqual([20, 20]);
      const started = performance.now();
      const rest = slices.rest(cost, wall);
      expect(rest).not.toBeNull();
      await rest;
      // 20 ms of delivery at a quarter of the loop: 60 ms off it.
      expect(performance.now() - started).toBeGreaterThanOrEqual(55);
      expect(slices.stats()).toMatchObject({ rests: 1, restedMs: 60, spentMs: 20 });
    });

    it('does not rest when nothing else wants the loop, when the share is 100 %, or for a free run', () => {
      const quiet = loop(0.5);
      quiet.slices.rest(0, 0);
      quiet.idle(500);
      expect(quiet.slices.rest(...quiet.run(40))).toBeNull();
      // Delivery alone keeping the loop busy is not "other work" either.
      for (let i = 0; i < 10; i++) expect(quiet.slices.rest(...quiet.run(40))).toBeNull();

      const unlimited = loop(1);
      unlimited.slices.rest(0, 0);
      unlimited.others(500);
      expect(unlimited.slices.rest(...unlimited.run(40))).toBeNull();

      const busy = loop(0.5);
      busy.slices.rest(0, 0);
      busy.others(500);
      expect(busy.slices.rest(0, 0)).toBeNull();
      // A run whose yields already gave the CMS its share (20 ms of delivery over 40 ms) needs no rest.
      expect(busy.slices.rest(20, 40)).toBeNull();
      expect(busy.slices.stats().rests).toBe(0);
    });

    it('never rests longer than a second, whatever a run cost', async () => {
      const { slices, others, run } = loop(0.1);
      slices.rest(0, 0);
      others(1000);
      const rest = slices.rest(...run(5000));
      expect(rest).not.toBeNull();
      expect(slices.stats().restedMs).toBe(1000);
      await rest;
    });
  });
});
