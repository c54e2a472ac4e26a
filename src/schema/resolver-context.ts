import type { FilterContext } from './filters/evaluate-filters';

/**
 * What field resolvers may ask while an event is executed for one audience. The hub builds one per
 * (event, audience), so relation loads and permission answers are shared by every group of that audience.
 */
export interface ResolverContext extends FilterContext {
  /** `find` permission of the audience on a content type: Strapi's rule for following a relation to it. */
  canFind(uid: string): Promise<boolean>;
}
