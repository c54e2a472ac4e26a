import type { Entry } from '../events/change-event';
import type { ContentModel } from './content-model';
import { evaluateFilters, type FilterContext } from './filters/evaluate-filters';

export interface ListArguments {
  filters?: Record<string, unknown> | null;
  pagination?: { page?: number | null; pageSize?: number | null; start?: number | null; limit?: number | null } | null;
  sort?: (string | null)[] | null;
}

const DEFAULT_PAGE_SIZE = 10;

/** `title:desc` / `title` → comparator; unknown fields compare equal (stable). */
const comparatorOf = (sort: string[]) => (a: Entry, b: Entry) => {
  for (const item of sort) {
    const [field, direction = 'asc'] = item.split(':');
    const x = a[field];
    const y = b[field];
    if (x === y) continue;
    const order = x === null || x === undefined ? -1 : y === null || y === undefined ? 1 : x < y ? -1 : x > y ? 1 : 0;
    if (order !== 0) return direction.toLowerCase() === 'desc' ? -order : order;
  }
  return 0;
};

/**
 * `filters`, `sort` and `pagination` of a to-many relation field, applied in memory to the related entries the
 * event carries, with @strapi/plugin-graphql's meaning (so fragments written for it behave the same here).
 */
export const applyListArguments = async (
  items: Entry[],
  args: ListArguments,
  model: ContentModel,
  context: FilterContext,
): Promise<Entry[]> => {
  const kept: Entry[] = [];
  for (const item of items) if (await evaluateFilters(args.filters, item, model, context)) kept.push(item);
  const sort = (args.sort ?? []).filter((s): s is string => typeof s === 'string' && s.length > 0);
  if (sort.length > 0) kept.sort(comparatorOf(sort));

  const { page, pageSize, start, limit } = args.pagination ?? {};
  if (start !== undefined && start !== null) return limit === -1 ? kept.slice(start) : kept.slice(start, start + (limit ?? DEFAULT_PAGE_SIZE));
  if (page || pageSize) {
    const size = pageSize ?? DEFAULT_PAGE_SIZE;
    const first = ((page ?? 1) - 1) * size;
    return kept.slice(first, first + size);
  }
  return kept;
};
