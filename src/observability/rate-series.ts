/** One second of the chart: the epoch second and a count per series. */
export type RatePoint<Name extends string> = { t: number } & Record<Name, number>;

/**
 * Counts per second for the last `windowSeconds`, for the admin chart: a fixed ring of one slot per second
 * (memory is constant, old seconds are overwritten), read oldest first with empty seconds as zeros.
 */
export const createRateSeries = <Name extends string>(names: readonly Name[], windowSeconds: number, now: () => number = Date.now) => {
  const stamps = new Array<number>(windowSeconds).fill(-1);
  const counts = new Map<Name, number[]>(names.map((name) => [name, new Array<number>(windowSeconds).fill(0)]));

  /** The slot of `second`, cleared first when it still holds an older second. */
  const slotOf = (second: number) => {
    const slot = second % windowSeconds;
    if (stamps[slot] !== second) {
      stamps[slot] = second;
      for (const values of counts.values()) values[slot] = 0;
    }
    return slot;
  };

  return {
    add(name: Name, amount = 1) {
      const values = counts.get(name);
      if (!values || !(amount > 0)) return;
      values[slotOf(Math.floor(now() / 1000))] += amount;
    },
    /** Every second of the window, oldest first, ending with the current (still filling) second. */
    points(): RatePoint<Name>[] {
      const current = Math.floor(now() / 1000);
      const points: RatePoint<Name>[] = [];
      for (let second = current - windowSeconds + 1; second <= current; second++) {
        const slot = second % windowSeconds;
        const point = { t: second } as RatePoint<Name>;
        for (const [name, values] of counts) (point as Record<string, number>)[name] = stamps[slot] === second ? values[slot] : 0;
        points.push(point);
      }
      return points;
    },
  };
};
