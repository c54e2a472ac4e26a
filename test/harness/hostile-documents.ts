/** `fragment F0 on Article { ...F1 ...F1 } ... fragment F<n> on Article { title }`: 2^levels fields when expanded. */
export const fragmentBomb = (levels: number) => {
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Article { ...F${i + 1} ...F${i + 1} }`);
  return `subscription { articleCreated { ...F0 } } ${fragments.join(' ')} fragment F${levels} on Article { title }`;
};

/** `{"f":{"not":{"not": ... {"title":{"eq":"x"}}}}}` as text, `levels` deep (too deep for JSON.stringify to build). */
export const deepFilterVariables = (levels: number) => `{"f":${'{"not":'.repeat(levels)}{"title":{"eq":"x"}}${'}'.repeat(levels)}}`;
