/** A seeded pseudo-random source (mulberry32): a fuzz run is replayed exactly from its seed. */
export interface Random {
  next(): number;
  /** An integer in [0, max). */
  int(max: number): number;
  bool(probability?: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Any characters a hostile client might send: ASCII, quotes, braces, control characters, multibyte. */
  string(length: number): string;
  /** A random JSON-like value nested up to `depth`. */
  json(depth: number): unknown;
}

const ALPHABET = 'abcXYZ019 _-:{}[]"\'\\/.,;@#$%^&*()\n\t\u0000éü€😀漢';

export const createRandom = (seed: number): Random => {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const characters = [...ALPHABET];
  const random: Random = {
    next,
    int: (max) => Math.floor(next() * Math.max(1, max)),
    bool: (probability = 0.5) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)],
    string: (length) => Array.from({ length }, () => characters[Math.floor(next() * characters.length)]).join(''),
    json(depth) {
      const kind = random.int(depth > 0 ? 7 : 5);
      if (kind === 0) return null;
      if (kind === 1) return random.bool();
      if (kind === 2) return random.int(1e9) - 5e8;
      if (kind === 3) return random.string(random.int(40));
      if (kind === 4) return random.next();
      if (kind === 5) return Array.from({ length: random.int(5) }, () => random.json(depth - 1));
      return Object.fromEntries(Array.from({ length: random.int(5) }, () => [random.string(random.int(10)), random.json(depth - 1)]));
    },
  };
  return random;
};
