import {
  GraphQLError,
  OperationTypeNode,
  execute,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  print,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { ChangeEvent } from '../../events/change-event';
import { compareCursors, parseCursor, type Cursor } from '../../events/cursor';
import type { GapReason, LogRecord, MessageRecord, ReadResult } from '../../events/log-record';
import type { Pipeline } from '../../pipeline/pipeline';
import type { Principal } from '../../pipeline/principal';
import type { SubscriptionRoute } from '../../schema/build-schema';
import type { GetModel } from '../../schema/content-model';
import { evaluateFilters } from '../../schema/filters/evaluate-filters';
import type { ResolverContexts } from './resolver-contexts';
import { rootFieldOf } from './operation-root-field';
import { measureValue } from '../../util/value-shape';
import type { Log } from '../../log';
import { gapResult } from './gap-result';
import type { Tracer } from '../../observability/trace';
import type { DeliverySlices } from '../../delivery/delivery-slices';

/**
 * One result for a group, or a gap signal: serialized once (the cursor is in its `extensions`), written to every
 * member. `event` is null for a gap.
 */
export interface PreparedResult {
  /** The JSON text of the GraphQL result, as UTF-8 bytes, shared by all members of the group. */
  bytes: Buffer;
  /** The log position it carries (`extensions.cursor`): the client resumes after it. */
  cursor: string;
  /** What it is the result of (transports report deliveries with it); null for a gap signal. */
  event: ChangeEvent | null;
  audienceKey: string;
}

export interface SubscriberSink {
  /** Which transport it writes to: deliveries are reported per transport, once per group and record. */
  readonly transport: 'graphql-ws' | 'graphql-sse';
  /** Writes one result; false when it could not (closed, or closed now as a slow consumer). */
  next(prepared: PreparedResult): boolean;
}

export interface SubscribeRequest {
  principal: Principal;
  /** Parsed and validated against the schema by the transport. */
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  sink: SubscriberSink;
  /**
   * The cursor of the last result the client received (it resumes): what it missed is replayed first, from the
   * event log and through the same execution as live delivery, then it continues live, with no gap and no duplicate
   * at the seam. A cursor the log cannot serve gives a gap signal instead. Null: live from now.
   */
  resumeAfter?: string | null;
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
  members: Set<Member>;
}

/** One subscriber of a group. */
interface Member {
  sink: SubscriberSink;
  /** The last position written to it: a record at or before it is never written again (replay/live seam). */
  position: Cursor | null;
  /** Being brought up to date: live records wait (the replay reads them from the log, in order). */
  catchingUp: boolean;
  subscribed: boolean;
}

/** Members written between two looks at the slice clock (reading it is cheap, not free). */
const PACE_EVERY = 64;

/** Results of replayed records kept for other members of the same group resuming at the same time (a deploy). */
const REPLAY_MEMO_SIZE = 2048;

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
  /** Reads the event log after a client's cursor (replay). */
  readAfter: (cursor: string) => Promise<ReadResult>;
  /** Runs a job in the transport's delivery order (the queue live records go through). */
  schedule: (job: () => Promise<void>) => void;
  /** Where the write loop may pause for the CMS's I/O (a group of 10,000 is written in several slices). */
  slices: DeliverySlices;
  /** Reports deliveries: once per group, record and transport with the count, never per subscriber. */
  delivered: (transport: SubscriberSink['transport'], event: ChangeEvent, audienceKey: string, count: number) => void;
  log: Log;
  trace: Tracer;
}) => {
  const { schema, routes, pipeline, contexts, getModel, limits, readAfter, schedule, slices, delivered, log, trace } = options;
  /** A group as traces name it: its audience, operation and root field. */
  const labelOf = (group: Group) => `group(${group.audienceKey} ${group.operationName ?? 'anonymous'} ${group.route.uid}|${group.route.action})`;
  const skip = (group: Group, event: ChangeEvent, reason: string) => {
    if (trace.enabled) trace.step(event.id, labelOf(group), `not delivered: ${reason}`);
    return null;
  };
  const groups = new Map<string, Group>();
  const groupsByRoute = new Map<string, Set<Group>>();
  const replayMemo = new Map<string, Promise<PreparedResult | null>>();
  let executions = 0;

  /** Published view: published versions. Draft view: drafts, and deletions of any kind. */
  const inView = (group: Group, event: ChangeEvent) =>
    !group.route.draftAndPublish ||
    event.status === (group.args.status ?? 'published') ||
    (group.args.status === 'draft' && event.action === 'deleted');

  /** The group's result for one record, or null when it is not for this group (view, arguments, filters, permission). */
  const resultFor = async (group: Group, record: MessageRecord): Promise<PreparedResult | null> => {
    if (record.message.type !== 'change') return null;
    const event = record.message.event;
    if (`${event.uid}|${event.action}` !== group.routeKey) return null;
    if (!inView(group, event)) return skip(group, event, `a ${event.status} version, the group views ${group.args.status ?? 'published'}`);
    if (group.args.documentId && group.args.documentId !== event.documentId) return skip(group, event, 'another documentId');
    if (group.args.locale && event.locale !== null && group.args.locale !== event.locale) return skip(group, event, 'another locale');
    // Authorization + sanitizing, memoized per (event, audience): shared by every group of the audience.
    const payload = await pipeline.prepare(event, group.audienceKey);
    if (!payload) return skip(group, event, 'the audience may not read it (or sanitizing failed)');
    const context = contexts(event, group.audienceKey);
    if (group.args.filters) {
      const model = getModel(group.route.uid);
      if (!model || !(await evaluateFilters(group.args.filters, payload, model, context))) return skip(group, event, 'filters do not match');
    }
    const result = await execute({
      schema,
      document: group.document,
      rootValue: { payload },
      contextValue: context,
      variableValues: group.variables,
      operationName: group.operationName,
    });
    executions++;
    const withCursor = { ...result, extensions: { ...result.extensions, cursor: record.id } };
    return { bytes: Buffer.from(JSON.stringify(withCursor)), cursor: record.id, event, audienceKey: group.audienceKey };
  };

  /**
   * Writes to one member unless it already has this position (or later); one broken socket never stops the rest.
   * Returns whether it wrote.
   */
  const write = (member: Member, record: LogRecord, prepared: PreparedResult): boolean => {
    if (member.position && member.position.epoch === record.cursor.epoch && compareCursors(record.cursor, member.position) <= 0) return false;
    member.position = record.cursor;
    try {
      return member.sink.next(prepared);
    } catch (error) {
      log.error('writing to a subscriber failed', error);
      return false;
    }
  };

  /**
   * Writes a run of records to one group: each record is executed once for the group, then every member gets all of
   * the group's results in order, one member after the other. When delivery is behind, a run holds several records,
   * so a member's frames are written together (and leave in one write, the slice holding its socket).
   */
  const runGroup = async (group: Group, records: readonly MessageRecord[]) => {
    const results: { record: MessageRecord; prepared: PreparedResult }[] = [];
    for (const record of records) {
      const prepared = await resultFor(group, record);
      if (prepared) results.push({ record, prepared });
    }
    if (results.length === 0) return;
    let catchingUp = 0;
    let visited = 0;
    const written = { 'graphql-ws': results.map(() => 0), 'graphql-sse': results.map(() => 0) };
    // Members who join or leave during a pause are handled as a Set iteration does: joiners are visited (their
    // position dedups), leavers are not.
    for (const member of group.members) {
      if (member.catchingUp) catchingUp++;
      else results.forEach(({ record, prepared }, index) => write(member, record, prepared) && written[member.sink.transport][index]++);
      if (++visited % PACE_EVERY === 0) {
        const pause = slices.pace();
        if (pause) await pause;
      }
    }
    for (const transport of ['graphql-ws', 'graphql-sse'] as const) {
      results.forEach(({ prepared }, index) => written[transport][index] > 0 && delivered(transport, prepared.event!, group.audienceKey, written[transport][index]));
    }
    if (trace.enabled) {
      results.forEach(({ prepared }, index) => {
        const count = written['graphql-ws'][index] + written['graphql-sse'][index];
        const skipped = visited - count - catchingUp;
        trace.step(prepared.event!.id, labelOf(group), `written to ${count}${catchingUp ? `, ${catchingUp} catching up (replay brings it)` : ''}${skipped ? `, ${skipped} already had it` : ''}`);
      });
    }
  };

  /**
   * Delivers records of the log in order (a run of them when delivery is behind: see `runGroup`) to every matching
   * group; resolves once every group is done, whatever happened to the others: a group that fails is logged and
   * skipped, so it can neither stop the rest nor let a later record overtake it. A gap record reaches every
   * subscriber, after the records before it.
   */
  const dispatchRun = async (records: readonly LogRecord[]): Promise<void> => {
    let changes: MessageRecord[] = [];
    const flush = async () => {
      const run = changes;
      changes = [];
      const byGroup = new Map<Group, MessageRecord[]>();
      for (const record of run) {
        const { event } = record.message as { event: ChangeEvent };
        for (const group of groupsByRoute.get(`${event.uid}|${event.action}`) ?? []) {
          if (!byGroup.has(group)) byGroup.set(group, []);
          byGroup.get(group)!.push(record);
        }
      }
      const runs = [...byGroup];
      const outcomes = await Promise.allSettled(runs.map(([group, groupRecords]) => runGroup(group, groupRecords)));
      outcomes.forEach((outcome, index) => {
        const { route } = runs[index][0];
        if (outcome.status === 'rejected') log.error(`delivering ${route.uid} ${route.action} to a group failed`, outcome.reason);
      });
    };
    for (const record of records) {
      if (record.kind === 'gap') {
        await flush();
        for (const group of groups.values()) {
          for (const member of group.members) if (!member.catchingUp) signalGap(member, group, record.reason, record.id);
        }
      } else if (record.message.type === 'change') changes.push(record);
    }
    await flush();
  };

  /** A gap signal to one member: it must refetch; it resumes from `head` (or from where it was). */
  const signalGap = (member: Member, group: Group, reason: GapReason, head: string | null) => {
    const cursor = parseCursor(head);
    const bytes = gapResult(reason, head);
    if (cursor) member.position = cursor;
    try {
      member.sink.next({ bytes, cursor: head ?? '', event: null, audienceKey: group.audienceKey });
    } catch (error) {
      log.error('writing to a subscriber failed', error);
    }
  };

  /** Brings one member up to date from the log, in order, then lets it receive live records. */
  const replay = async (member: Member, group: Group, after: string) => {
    const read = await readAfter(after);
    if (!member.subscribed) return;
    if (!read.ok) {
      signalGap(member, group, read.reason, read.head);
    } else {
      for (const record of read.records) {
        if (!member.subscribed) return;
        if (record.kind === 'gap') {
          signalGap(member, group, record.reason, record.id);
          continue;
        }
        // Many members of a group resuming together (after a deploy) share one execution per record.
        const memoKey = `${record.id}\u0000${group.key}`;
        let prepared = replayMemo.get(memoKey);
        if (!prepared) {
          replayMemo.set(memoKey, (prepared = resultFor(group, record)));
          if (replayMemo.size > REPLAY_MEMO_SIZE) replayMemo.delete(replayMemo.keys().next().value!);
        }
        const result = await prepared;
        if (result) {
          if (write(member, record, result)) delivered(member.sink.transport, result.event!, group.audienceKey, 1);
        }
        // Records this group does not receive still move the member past them: their live copy is skipped too.
        else member.position = record.cursor;
      }
    }
    member.catchingUp = false;
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
      // Only the group and the member are kept: not this request's own parsed document (kilobytes each).
      const joined = group;
      const member: Member = { sink: request.sink, position: null, catchingUp: Boolean(request.resumeAfter), subscribed: true };
      joined.members.add(member);
      if (request.resumeAfter) {
        const after = request.resumeAfter;
        // In delivery order: live records queued before this job are in what it reads; later ones are deduplicated.
        schedule(() =>
          replay(member, joined, after).catch((error: unknown) => {
            log.error('replaying missed events failed', error);
            signalGap(member, joined, 'missed-by-node', null);
            member.catchingUp = false;
          }),
        );
      }
      return {
        ok: true,
        uid: route.uid,
        unsubscribe() {
          member.subscribed = false;
          joined.members.delete(member);
          if (joined.members.size > 0) return;
          groups.delete(joined.key);
          const sameRoute = groupsByRoute.get(joined.routeKey);
          sameRoute?.delete(joined);
          if (sameRoute?.size === 0) groupsByRoute.delete(joined.routeKey);
        },
      };
    },

    dispatchRun,

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
