import { afterEach, describe, expect, it } from 'vitest';
import { createBacklogBudget, type BacklogBudget } from '../../src/delivery/backlog-budget';

let budget: BacklogBudget;
afterEach(() => budget?.stop());

describe('backlog budget', () => {
  it('sums what every source holds and, over the budget, closes the connections holding the most until it fits', () => {
    budget = createBacklogBudget({ maxBytes: 1000, intervalMs: 60_000 });
    const ws = new Map([
      ['fast', 0],
      ['slow', 700],
      ['slower', 900],
    ]);
    const sse = new Map([['reader', 200]]);
    const shed: string[] = [];
    const source = (map: Map<string, number>) => ({
      connections: () => map.keys(),
      buffered: (name: string) => map.get(name)!,
      shed(name: string) {
        shed.push(name);
        map.delete(name);
      },
    });
    const untrack = budget.track(source(ws));
    budget.track(source(sse));
    // 1,800 bytes held: dropping the biggest (900) leaves 900, under the budget.
    expect(budget.check()).toBe(900);
    expect(shed).toEqual(['slower']);
    expect(budget.stats()).toEqual({ bufferedBytes: 900, shed: 1 });
    expect(budget.check()).toBe(900);
    untrack();
    expect(budget.check()).toBe(200);
  });
});
