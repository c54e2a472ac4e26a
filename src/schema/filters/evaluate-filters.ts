import type { Entry } from '../../events/change-event';
import { isTraversableRelation, type ContentModel, type GetModel } from '../content-model';

/** Loads a relation that is not in the entry (deeper than what the event carries); memoized by the caller. */
export type LoadRelation = (model: ContentModel, entry: Entry, field: string) => Promise<Entry | Entry[] | null>;

export interface FilterContext {
  getModel: GetModel;
  loadRelation: LoadRelation;
}

type Operators = Record<string, unknown>;

const LOGICAL = new Set(['and', 'or', 'not']);

const isNil = (value: unknown) => value === null || value === undefined;
const asText = (value: unknown) => (isNil(value) ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));
const sameValue = (a: unknown, b: unknown) =>
  typeof a === 'object' || typeof b === 'object' ? JSON.stringify(a) === JSON.stringify(b) : a === b || asText(a) === asText(b);

/** Numbers compare as numbers (decimals may arrive as strings), everything else (ISO dates too) as text. */
const compare = (a: unknown, b: unknown): number => {
  const x = Number(a);
  const y = Number(b);
  if (a !== '' && b !== '' && !isNil(a) && !isNil(b) && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return asText(a) < asText(b) ? -1 : asText(a) > asText(b) ? 1 : 0;
};

/** One operator applied to one value, with Strapi's meaning. Unknown operators never match (fail closed). */
const applyOperator = (operator: string, value: unknown, expected: unknown): boolean => {
  const text = asText(value);
  const lower = text.toLowerCase();
  const wanted = asText(expected);
  switch (operator) {
    case 'eq':
      return isNil(expected) ? isNil(value) : sameValue(value, expected);
    case 'ne':
      return isNil(expected) ? !isNil(value) : !sameValue(value, expected);
    case 'eqi':
      return lower === wanted.toLowerCase();
    case 'nei':
      return lower !== wanted.toLowerCase();
    case 'lt':
      return !isNil(value) && compare(value, expected) < 0;
    case 'lte':
      return !isNil(value) && compare(value, expected) <= 0;
    case 'gt':
      return !isNil(value) && compare(value, expected) > 0;
    case 'gte':
      return !isNil(value) && compare(value, expected) >= 0;
    case 'in':
      return Array.isArray(expected) && expected.some((item) => sameValue(value, item));
    case 'notIn':
      return Array.isArray(expected) && !expected.some((item) => sameValue(value, item));
    case 'between':
      return Array.isArray(expected) && expected.length === 2 && !isNil(value) && compare(value, expected[0]) >= 0 && compare(value, expected[1]) <= 0;
    case 'contains':
      return !isNil(value) && text.includes(wanted);
    case 'notContains':
      return !text.includes(wanted);
    case 'containsi':
      return !isNil(value) && lower.includes(wanted.toLowerCase());
    case 'notContainsi':
      return !lower.includes(wanted.toLowerCase());
    case 'startsWith':
      return !isNil(value) && text.startsWith(wanted);
    case 'endsWith':
      return !isNil(value) && text.endsWith(wanted);
    case 'null':
      return expected ? isNil(value) : !isNil(value);
    case 'notNull':
      return expected ? !isNil(value) : isNil(value);
    default:
      return false;
  }
};

/** `{ eq: 'a', or: ['b', 'c'], not: { ... } }` against one scalar value. */
const matchScalar = (value: unknown, operators: Operators): boolean =>
  Object.entries(operators).every(([operator, expected]) => {
    if (expected === undefined) return true;
    if (operator === 'and') return (expected as unknown[]).every((item) => applyOperator('eq', value, item));
    if (operator === 'or') return (expected as unknown[]).some((item) => applyOperator('eq', value, item));
    if (operator === 'not') return !matchScalar(value, expected as Operators);
    return applyOperator(operator, value, expected);
  });

/**
 * Evaluates a plugin-graphql `<Type>FiltersInput` against an entry in memory (the entry as the audience may
 * see it, so private data can never be probed). To-many relations match when some related entry matches,
 * as in Strapi's database filters.
 */
export const evaluateFilters = async (
  filters: Operators | null | undefined,
  entry: Entry | null | undefined,
  model: ContentModel,
  context: FilterContext,
): Promise<boolean> => {
  if (!filters) return true;
  if (!entry) return false;

  for (const [key, condition] of Object.entries(filters)) {
    if (condition === undefined || condition === null) continue;
    if (LOGICAL.has(key)) {
      const ok =
        key === 'and'
          ? await everyAsync(condition as Operators[], (part) => evaluateFilters(part, entry, model, context))
          : key === 'or'
            ? await someAsync(condition as Operators[], (part) => evaluateFilters(part, entry, model, context))
            : !(await evaluateFilters(condition as Operators, entry, model, context));
      if (!ok) return false;
      continue;
    }

    const attribute = model.attributes[key];
    if (key === 'documentId' || key === 'id' || (attribute && !['relation', 'component', 'media', 'dynamiczone'].includes(attribute.type))) {
      if (!matchScalar(entry[key], condition as Operators)) return false;
      continue;
    }
    if (attribute?.type === 'component' || (attribute && isTraversableRelation(attribute))) {
      const target = context.getModel(attribute.type === 'component' ? attribute.component! : attribute.target!);
      if (!target) return false;
      const value = attribute.type === 'component' || key in entry ? entry[key] : await context.loadRelation(model, entry, key);
      const items = (Array.isArray(value) ? value : value ? [value] : []) as Entry[];
      // Some related entry matches (Strapi's semantics for to-many); none at all still answers `null` checks.
      const matches =
        items.length === 0
          ? await evaluateFilters(condition as Operators, {}, target, context)
          : await someAsync(items, (item) => evaluateFilters(condition as Operators, item, target, context));
      if (!matches) return false;
      continue;
    }
    // Not a filterable field of this model (private, unknown): never matches, never reveals anything.
    return false;
  }
  return true;
};

const everyAsync = async <T>(items: T[], check: (item: T) => Promise<boolean>) => {
  for (const item of items) if (!(await check(item))) return false;
  return true;
};
const someAsync = async <T>(items: T[], check: (item: T) => Promise<boolean>) => {
  for (const item of items) if (await check(item)) return true;
  return false;
};
