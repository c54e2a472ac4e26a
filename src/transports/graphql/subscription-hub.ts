import {
  GraphQLError,
  OperationTypeNode,
  execute,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  print,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import type { ChangeEvent } from '../../events/change-event';
import type { Pipeline } from '../../pipeline/pipeline';
import type { Principal } from '../../pipeline/principal';
import type { SubscriptionRoute } from '../../schema/build-schema';
import type { GetModel } from '../../schema/content-model';
import { evaluateFilters } from '../../schema/filters/evaluate-filters';
import type { ResolverContexts } from './resolver-contexts';
import { rootFieldOf } from './operation-root-field';
import { measureValue } from '../../util/value-shape';
import type { Log } from '../../log';

/** An event's result for one group: executed once, serialized once, written to every member. */
export interface PreparedResult {
  result: ExecutionResult;
  /** `JSON.stringify(result)` as UTF-8 bytes, shared by all members of the group. */
  bytes: Buffer;
  /** What it is the result of, and for whom (transports report deliveries with them). */
  event: ChangeEvent;
  audienceKey: string;
}

export interface SubscriberSink {
  next(prepared: PreparedResult): void;
}

export interface SubscribeRequest {
  principal: Principal;
  /** Parsed and validated against the schema by the transport. */
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  sink: SubscriberSink;
}

export type SubscribeOutcome = { ok: true; uid: string; unsubscribe: () => void } | { ok: false; errors: readonly GraphQLError[] };

interface SubscriptionArgs {
  documentId?: string | null;
  filters?: Record<string, unknown> | null;
  locale?: string | null;
  status?: 'draft' | 'published';
}

/** Subscribers with the same audience, operation and variables: one execution per event for all of them. */
interface Group {
  key: string;
  audienceKey: string;
  route: SubscriptionRoute;
  routeKey: string;
  document: DocumentNode;
  operationName: string | null;
  /**
   * The variables as the client sent them: `execute` coerces them itself. (Coerced values would be coerced a
   * second time, and an enum's internal value is not valid input: `$status = PUBLISHED` became `"published"`.)
   */
  variables: Record<string, unknown>;
  args: SubscriptionArgs;
  members: Set<SubscriberSink>;
}

const forbidden = (message: string) => new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
const badRequest = (message: string, code = 'BAD_USER_INPUT') => new GraphQLError(message, { extensions: { code } });

/** JSON with sorted keys, so `{a,b}` and `{b,a}` variables share a group. */
const stableJson = (value: unknown): string =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? `{${Object.keys(value)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
        .join(',')}}`
    : Array.isArray(value)
      ? `[${value.map(stableJson).join(',')}]`
      : JSON.stringify(value ?? null);

/**
 * The fan-out engine shared by graphql-ws and SSE. Work per event is proportional to the number of groups
 * (audience + operation + variables), never to the number of subscribers.
 */
export const createSubscriptionHub = (options: {
  schema: GraphQLSchema;
  routes: ReadonlyMap<string, SubscriptionRoute>;
  pipeline: Pipeline;
  contexts: ResolverContexts;
  getModel: GetModel;
  /** Ceilings on inputs: variables and `filters` nesting, and `filters` size (evaluated per event, so bounded). */
  limits: { maxInputDepth: number; maxFilterSize: number };
  log: Log;
}) => {
  const { schema, routes, pipeline, contexts, getModel, limits, log } = options;
  const groups = new Map<string, Group>();
  const groupsByRoute = new Map<string, Set<Group>>();
  let executions = 0;

  /** Published view: published versions. Draft view: drafts, and deletions of any kind. */
  const inView = (group: Group, event: ChangeEvent) =>
    !group.route.draftAndPublish ||
    event.status === (group.args.status ?? 'published') ||
    (group.args.status === 'draft' && event.action === 'deleted');

  const runGroup = async (group: Group, event: ChangeEvent) => {
    if (!inView(group, event)) return;
    if (group.args.documentId && group.args.documentId !== event.documentId) return;
    if (group.args.locale && event.locale !== null && group.args.locale !== event.locale) return;
    // Authorization + sanitizing, memoized per (event, audience): shared by every group of the audience.
    const payload = await pipeline.prepare(event, group.audienceKey);
    if (!payload) return;
    const context = contexts(event, group.audienceKey);
    if (group.args.filters) {
      const model = getModel(group.route.uid);
      if (!model || !(await evaluateFilters(group.args.filters, payload, model, context))) return;
    }
    const result = (await execute({
      schema,
      document: group.document,
      rootValue: { payload },
      contextValue: context,
      variableValues: group.variables,
      operationName: group.operationName,
    }));
    executions++;
    const prepared: PreparedResult = { result, bytes: Buffer.from(JSON.stringify(result)), event, audienceKey: group.audienceKey };
    for (const member of group.members) {
      // One broken socket must not keep the rest of the group from its message.
      try {
        member.next(prepared);
      } catch (error) {
        log.error('writing to a subscriber failed', error);
      }
    }
  };

  return {
    async subscribe(request: SubscribeRequest): Promise<SubscribeOutcome> {
      const operation = getOperationAST(request.document, request.operationName ?? undefined);
      if (!operation) return { ok: false, errors: [badRequest('The document has no operation with that name.')] };
      if (operation.operation !== OperationTypeNode.SUBSCRIPTION) return { ok: false, errors: [badRequest('Only subscription operations can be subscribed to.')] };
      const field = rootFieldOf(request.document, operation);
      const route = field ? routes.get(field.name.value) : undefined;
      const fieldDef = field ? schema.getSubscriptionType()?.getFields()[field.name.value] : undefined;
      if (!field || !route || !fieldDef) return { ok: false, errors: [badRequest('The subscription has no known root field.')] };

      // Variables are measured before graphql-js coerces them (recursively): a hostile nesting is refused first.
      // (+1: the variables object itself.)
      const variablesDepth = measureValue(request.variables, { maxDepth: limits.maxInputDepth + 1, maxSize: Infinity }).depth;
      if (variablesDepth > limits.maxInputDepth + 1) {
        return { ok: false, errors: [badRequest(`Variables are nested more than ${limits.maxInputDepth} levels deep.`, 'INPUT_DEPTH_LIMIT_EXCEEDED')] };
      }
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
      if (coerced.errors) return { ok: false, errors: coerced.errors };
      const args = getArgumentValues(fieldDef, field, coerced.coerced) as SubscriptionArgs;
      const filterShape = measureValue(args.filters, { maxDepth: limits.maxInputDepth, maxSize: limits.maxFilterSize });
      if (filterShape.depth > limits.maxInputDepth) {
        return { ok: false, errors: [badRequest(`filters are nested more than ${limits.maxInputDepth} levels deep.`, 'INPUT_DEPTH_LIMIT_EXCEEDED')] };
      }
      if (filterShape.size > limits.maxFilterSize) {
        return { ok: false, errors: [badRequest(`filters have more than ${limits.maxFilterSize} conditions and values.`, 'FILTER_LIMIT_EXCEEDED')] };
      }

      const { audienceKey } = request.principal;
      if (!(await pipeline.canRead(audienceKey, route.uid))) {
        return { ok: false, errors: [forbidden(`Forbidden: you may not read ${route.uid} (it needs the find or findOne permission).`)] };
      }
      if (route.draftAndPublish && args.status === 'draft' && !(await pipeline.canReadDrafts(audienceKey, route.uid))) {
        return { ok: false, errors: [forbidden(`Forbidden: draft versions of ${route.uid} are not available to you.`)] };
      }

      const operationName = operation.name?.value ?? null;
      const key = [audienceKey, operationName ?? '', stableJson(coerced.coerced), print(request.document)].join('\u0000');
      let group = groups.get(key);
      if (!group) {
        const routeKey = `${route.uid}|${route.action}`;
        group = {
          key,
          audienceKey,
          route,
          routeKey,
          document: request.document,
          operationName,
          variables: request.variables ?? {},
          args,
          members: new Set(),
        };
        groups.set(key, group);
        if (!groupsByRoute.has(routeKey)) groupsByRoute.set(routeKey, new Set());
        groupsByRoute.get(routeKey)!.add(group);
      }
      // Only the group and the sink are kept: not this request's own parsed document (kilobytes each).
      const joined = group;
      const { sink } = request;
      joined.members.add(sink);
      return {
        ok: true,
        uid: route.uid,
        unsubscribe() {
          joined.members.delete(sink);
          if (joined.members.size > 0) return;
          groups.delete(joined.key);
          const sameRoute = groupsByRoute.get(joined.routeKey);
          sameRoute?.delete(joined);
          if (sameRoute?.size === 0) groupsByRoute.delete(joined.routeKey);
        },
      };
    },

    /**
     * Delivers one event to every matching group; resolves once every group is done, whatever happened to the
     * others: a group that fails is logged and skipped, so it can neither stop the rest of this event nor let the
     * next event overtake it.
     */
    async dispatch(event: ChangeEvent): Promise<void> {
      const candidates = groupsByRoute.get(`${event.uid}|${event.action}`);
      if (!candidates) return;
      const outcomes = await Promise.allSettled([...candidates].map((group) => runGroup(group, event)));
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') log.error(`delivering ${event.uid} ${event.action} to a group failed`, outcome.reason);
      }
    },

    stats() {
      const byContentType: Record<string, number> = {};
      let subscribers = 0;
      for (const group of groups.values()) {
        subscribers += group.members.size;
        byContentType[group.route.uid] = (byContentType[group.route.uid] ?? 0) + group.members.size;
      }
      return {
        groups: groups.size,
        subscribers,
        byContentType,
        audiences: new Set([...groups.values()].map((g) => g.audienceKey)).size,
        executions,
      };
    },
  };
};

export type SubscriptionHub = ReturnType<typeof createSubscriptionHub>;
