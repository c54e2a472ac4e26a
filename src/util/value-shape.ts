/** Nesting depth and node count (object keys and list items) of a JSON-like value. */
export interface ValueShape {
  depth: number;
  size: number;
}

/**
 * Measures a value from an untrusted source iteratively (never recursion: a hostile value 10,000 levels deep must
 * not overflow the stack), stopping as soon as either bound is passed.
 */
export const measureValue = (root: unknown, bounds: { maxDepth: number; maxSize: number }): ValueShape => {
  let depth = 0;
  let size = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, level] = stack.pop()!;
    if (!value || typeof value !== 'object') continue;
    depth = Math.max(depth, level);
    const children = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
    size += children.length;
    if (depth > bounds.maxDepth || size > bounds.maxSize) break;
    for (const child of children) stack.push([child, level + 1]);
  }
  return { depth, size };
};
