import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError, OperationTypeNode, execute, getOperationAST, type GraphQLSchema } from 'graphql';
import type { RealtimeContext } from '../../context';
import type { GraphqlTransportConfig } from '../../config/types';
import type { Principal } from '../../pipeline/principal';
import { AuthError } from '../../pipeline/auth-error';
import { clientAddress } from '../client-address';
import { expiryTimer } from '../expiry-timer';
import type { SubscriptionHub } from './subscription-hub';
import type { DocumentCheck } from './document-cache';
import { credentialFrom } from './credential';
import { createEventStream, type EventStream, type StreamEndReason } from './sse-stream';
import { acceptsEventStream, parseGraphqlParams, streamTokenOf, type GraphqlParams } from './sse-request';
import { GRAPHIQL_CONTENT_SECURITY_POLICY, isGraphiqlRequest, renderGraphiqlPage } from './graphiql-page';

/** The event log's head when a stream opened (where a client with no result yet resumes from). */
export const CURSOR_HEADER = 'x-realtime-cursor';
/** Keep-alive comments on idle streams (graphql-sse's interval). */
const PING_INTERVAL_MS = 12_000;
/** Longest accepted single-connection operation id. */
const MAX_OPERATION_ID_LENGTH = 128;

interface SseOperation {
  id: string;
  params: GraphqlParams;
  /** The cursor a resuming client sent (`extensions.cursor`, or Last-Event-ID in distinct mode). */
  resumeAfter: string | null;
  unsubscribe: (() => void) | null;
}

/** The cursor of a resuming client: `extensions.cursor` (graphql-sse and this plugin's client) or Last-Event-ID. */
const resumeCursorOf = (params: GraphqlParams, lastEventId: string | string[] | undefined): string | null => {
  const cursor = params.extensions?.cursor;
  if (typeof cursor === 'string') return cursor;
  return typeof lastEventId === 'string' && lastEventId !== '' ? lastEventId : null;
};

/** One event stream: a distinct-mode request, or a single-connection reservation (open once its GET arrives). */
interface Stream {
  mode: 'distinct' | 'single';
  token: string | null;
  principal: Principal;
  events: EventStream;
  operations: Map<string, SseOperation>;
  stopTimers: () => void;
}

type KoaContext = {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  request: { body?: unknown };
  status: number;
  body: unknown;
  respond?: boolean;
  set(field: string, value: string): void;
  type: string;
};

const jsonErrors = (errors: readonly unknown[]) => ({ errors });
const errorOf = (message: string, code?: string) => ({ message, ...(code ? { extensions: { code } } : {}) });

/**
 * GraphQL over Server-Sent Events: the graphql-sse protocol (distinct connections mode and single connection mode)
 * on `ssePath`, subscriptions executed by the same hub (groups, pipeline) as graphql-ws. Implemented here so that
 * everything a client leaves behind is bounded and released:
 * - a reservation (PUT) that is not opened within `sseReservationTimeoutMs` is dropped with its operations;
 * - a stream belongs to the credential that reserved it (another credential gets 404, as for an unknown token);
 * - operations per stream are capped; results a reader has not read are bounded in bytes (then the stream ends);
 * - every revocation that closes a WebSocket (blocked user, token revoked, expiry) ends the stream, and a role change
 *   regroups its operations;
 * - every stream holds a ticket of the shared connection limiter.
 * In development a browser GET gets GraphiQL.
 */
export const startSseServer = (options: {
  context: Pick<RealtimeContext, 'strapi' | 'pipeline' | 'limiter' | 'monitor' | 'log' | 'eventLog' | 'slices' | 'backlog'>;
  config: GraphqlTransportConfig;
  schema: GraphQLSchema;
  hub: SubscriptionHub;
  checkDocument: DocumentCheck;
  /** What GraphiQL opens with. */
  exampleSubscription: string;
}) => {
  const { context, config, schema, hub, checkDocument, exampleSubscription } = options;
  const { strapi, pipeline, limiter, monitor, log, eventLog } = context;
  /** Root of queries: `Query.realtimeCursor` reads the event log's head. */
  const rootValue = { realtimeCursor: () => eventLog.head() };
  const streams = new Set<Stream>();
  const reservations = new Map<string, Stream>();
  const untrackBacklog = context.backlog.track({
    connections: () => streams,
    buffered: (stream) => stream.events.bufferedBytes,
    shed: (stream) => stream.events.end('slow-reader'),
  });

  /** Answers with exactly `status` (an empty body is '' so Koa does not turn 200/202 into 204). */
  const reply = (ctx: KoaContext, status: number, body: unknown, type = 'application/json; charset=utf-8') => {
    ctx.status = status;
    ctx.type = body === '' ? 'text/plain; charset=utf-8' : type;
    ctx.body = body;
  };

  const isCurrent = (stream: Stream, operation: SseOperation) => !stream.events.ended && stream.operations.get(operation.id) === operation;

  /**
   * One graphql-sse event. In distinct connections mode a result also carries its cursor as the event's `id` (what
   * an EventSource sends back as Last-Event-ID); graphql-sse clients ignore it.
   */
  const print = (stream: Stream, event: 'next' | 'complete', id: string, data: Buffer | string | null, cursor?: string): (string | Buffer)[] => {
    if (stream.mode === 'distinct') {
      if (data === null) return [`event: ${event}\ndata:\n\n`];
      return [`event: ${event}\n${cursor ? `id: ${cursor}\n` : ''}data: `, data, '\n\n'];
    }
    const head = `event: ${event}\ndata: {"id":${JSON.stringify(id)}`;
    return data === null ? [`${head}}\n\n`] : [`${head},"payload":`, data, '}\n\n'];
  };

  /** Ends an operation on the client's side (`complete`); a distinct stream ends with its only operation. */
  const complete = (stream: Stream, operation: SseOperation) => {
    if (!isCurrent(stream, operation)) return;
    stream.operations.delete(operation.id);
    operation.unsubscribe?.();
    stream.events.write(print(stream, 'complete', operation.id, null));
    if (stream.mode === 'distinct') stream.events.end('completed');
  };

  const sendResult = (stream: Stream, operation: SseOperation, result: unknown) => {
    if (!isCurrent(stream, operation)) return;
    stream.events.write(print(stream, 'next', operation.id, JSON.stringify(result)));
    complete(stream, operation);
  };

  /** Runs a checked operation: a query once, a subscription through the hub until completed or the stream ends. */
  const start = async (stream: Stream, operation: SseOperation, principal: Principal) => {
    const { document } = checkDocument(operation.params.query);
    if (!document) return sendResult(stream, operation, { errors: [errorOf('The document is no longer valid.')] });
    const { params } = operation;
    if (getOperationAST(document, params.operationName ?? undefined)?.operation !== OperationTypeNode.SUBSCRIPTION) {
      const result = await execute({ schema, document, rootValue, variableValues: params.variables, operationName: params.operationName });
      return sendResult(stream, operation, result);
    }
    const outcome = await hub.subscribe({
      principal,
      document,
      operationName: params.operationName,
      variables: params.variables,
      resumeAfter: operation.resumeAfter,
      sink: {
        transport: 'graphql-sse',
        next({ bytes, cursor }) {
          if (!isCurrent(stream, operation)) return false;
          stream.events.write(print(stream, 'next', operation.id, bytes, cursor));
          // Ended now when this write took the reader past its budget.
          return !stream.events.ended;
        },
      },
    });
    // `data: null` marks these as results (graphql-sse clients then see the errors and the completion).
    if (!outcome.ok) return sendResult(stream, operation, { data: null, errors: outcome.errors.map((error) => error.toJSON()) });
    if (!isCurrent(stream, operation)) return outcome.unsubscribe();
    operation.unsubscribe = outcome.unsubscribe;
  };

  const run = (stream: Stream, operation: SseOperation, principal: Principal) =>
    start(stream, operation, principal).catch((error: unknown) => {
      log.error('an SSE operation failed', error);
      sendResult(stream, operation, { errors: [errorOf('Internal server error', 'INTERNAL_SERVER_ERROR')] });
    });

  const dispose = (stream: Stream, release: () => void) => (reason: StreamEndReason) => {
    if (reason === 'slow-reader') monitor.slowClientClosed('graphql-sse');
    stream.stopTimers();
    for (const operation of stream.operations.values()) operation.unsubscribe?.();
    stream.operations.clear();
    streams.delete(stream);
    if (stream.token && reservations.get(stream.token) === stream) reservations.delete(stream.token);
    release();
    monitor.logEvent('disconnect', { transport: 'graphql-sse', audience: stream.principal.audienceKey, reason });
  };

  /** A new stream holding a limiter ticket, or the HTTP refusal. */
  const openStream = (ctx: KoaContext, mode: Stream['mode'], principal: Principal): Stream | null => {
    const admission = limiter.admit(clientAddress(strapi, ctx.req.socket.remoteAddress ?? '', ctx.req.headers));
    if (!admission.ok) {
      monitor.connectionRefused('graphql-sse', admission.refusal.code);
      reply(ctx, admission.refusal.status, jsonErrors([errorOf(admission.refusal.message, admission.refusal.code)]));
      return null;
    }
    const stream = {
      mode,
      token: mode === 'single' ? randomBytes(24).toString('base64url') : null,
      principal,
      operations: new Map(),
      stopTimers: () => undefined,
    } as Omit<Stream, 'events'> as Stream;
    stream.events = createEventStream({
      maxBufferedBytes: config.maxBufferedBytes,
      hold: (res) => context.slices.hold(res),
      onEnd: dispose(stream, admission.release),
    });
    const stopExpiry = expiryTimer(principal.expiresAt, () => stream.events.end('expired'));
    stream.stopTimers = stopExpiry;
    streams.add(stream);
    monitor.logEvent('connection', { transport: 'graphql-sse', audience: principal.audienceKey, mode });
    return stream;
  };

  /**
   * Streams the response of `ctx` from now on (Koa no longer answers it). The event log's head when the stream
   * opens is in `x-realtime-cursor`: a client whose stream drops before its first event resumes from there.
   */
  const attach = (ctx: KoaContext, stream: Stream) => {
    ctx.respond = false;
    const head = eventLog.head();
    stream.events.attach(ctx.res, head ? { [CURSOR_HEADER]: head, 'access-control-expose-headers': CURSOR_HEADER } : {});
  };

  /** Checks a client's document; refuses with 400 and its errors. */
  const checkParams = (ctx: KoaContext): GraphqlParams | null => {
    const parsed = parseGraphqlParams({ method: ctx.method, url: urlOf(ctx), headers: ctx.req.headers, body: ctx.request.body });
    if (!parsed.ok) {
      reply(ctx, parsed.status, jsonErrors([errorOf(parsed.message, 'BAD_REQUEST')]));
      return null;
    }
    const { errors } = checkDocument(parsed.params.query);
    if (errors.length > 0) {
      reply(ctx, 400, jsonErrors(errors.map((error) => (error instanceof GraphQLError ? error.toJSON() : error))));
      return null;
    }
    return parsed.params;
  };

  const urlOf = (ctx: KoaContext) => new URL(ctx.req.url ?? '/', 'http://localhost');

  /** A reserved stream of this credential (another credential's token is "not found", as an unknown one). */
  const reservedStream = (ctx: KoaContext, token: string, principal: Principal): Stream | null => {
    const stream = reservations.get(token);
    if (stream && !stream.events.ended && stream.principal.credential === principal.credential) return stream;
    reply(ctx, 404, jsonErrors([errorOf('Stream not found')]));
    return null;
  };

  const handleDistinct = (ctx: KoaContext, principal: Principal) => {
    const params = checkParams(ctx);
    if (!params) return;
    const stream = openStream(ctx, 'distinct', principal);
    if (!stream) return;
    const operation: SseOperation = { id: '', params, resumeAfter: resumeCursorOf(params, ctx.req.headers['last-event-id']), unsubscribe: null };
    stream.operations.set('', operation);
    attach(ctx, stream);
    void run(stream, operation, principal);
  };

  /**
   * Plain GraphQL over HTTP (no event stream, no stream token): queries such as GraphiQL's introspection. A
   * subscription is refused here: it needs an event stream (graphql-sse) or graphql-ws.
   */
  const handlePlain = async (ctx: KoaContext) => {
    const params = checkParams(ctx);
    if (!params) return;
    const { document } = checkDocument(params.query);
    if (!document) return;
    if (getOperationAST(document, params.operationName ?? undefined)?.operation === OperationTypeNode.SUBSCRIPTION) {
      const where = `Subscriptions need an event stream here (accept: text/event-stream, the graphql-sse protocol), or graphql-ws on ${config.path}.`;
      return reply(ctx, 400, jsonErrors([errorOf(where, 'BAD_REQUEST')]));
    }
    reply(ctx, 200, await execute({ schema, document, rootValue, variableValues: params.variables, operationName: params.operationName }));
  };

  const handleReserve = (ctx: KoaContext, principal: Principal) => {
    const stream = openStream(ctx, 'single', principal);
    if (!stream) return;
    reservations.set(stream.token!, stream);
    // Never opened: dropped with everything posted to it.
    const timer = setTimeout(() => {
      if (!stream.events.open) stream.events.end('reservation-expired');
    }, config.sseReservationTimeoutMs);
    timer.unref();
    const stopExpiry = stream.stopTimers;
    stream.stopTimers = () => {
      clearTimeout(timer);
      stopExpiry();
    };
    reply(ctx, 201, stream.token, 'text/plain; charset=utf-8');
  };

  const handleOperation = (ctx: KoaContext, stream: Stream, principal: Principal) => {
    const params = checkParams(ctx);
    if (!params) return;
    const id = params.extensions?.operationId;
    if (typeof id !== 'string' || id === '' || id.length > MAX_OPERATION_ID_LENGTH) {
      return reply(ctx, 400, jsonErrors([errorOf('Operation ID is missing or invalid', 'BAD_REQUEST')]));
    }
    if (stream.operations.has(id)) return reply(ctx, 409, jsonErrors([errorOf('Operation with ID already exists')]));
    if (stream.operations.size >= config.maxSubscriptionsPerConnection) {
      return reply(
        ctx,
        400,
        jsonErrors([errorOf(`Too many subscriptions on this stream (the maximum is ${config.maxSubscriptionsPerConnection}).`, 'TOO_MANY_SUBSCRIPTIONS')]),
      );
    }
    const operation: SseOperation = { id, params, resumeAfter: resumeCursorOf(params, undefined), unsubscribe: null };
    stream.operations.set(id, operation);
    void run(stream, operation, principal);
    reply(ctx, 202, '');
  };

  const handle = async (ctx: KoaContext) => {
    const accept = acceptsEventStream(ctx.req.headers);
    if (config.graphiql && !accept && isGraphiqlRequest(ctx.method, ctx.req.headers.accept)) {
      // Strapi's CSP forbids GraphiQL's blob workers: this page gets its own, as narrow as it can be.
      ctx.set('content-security-policy', GRAPHIQL_CONTENT_SECURITY_POLICY);
      return reply(ctx, 200, renderGraphiqlPage({ endpoint: config.ssePath, exampleSubscription }), 'text/html; charset=utf-8');
    }

    let principal: Principal;
    try {
      principal = await pipeline.resolvePrincipal(credentialFrom({ authorization: ctx.req.headers.authorization }));
    } catch (error) {
      monitor.connectionRefused('graphql-sse', error instanceof AuthError ? error.code : 'internal_error');
      if (!(error instanceof AuthError)) log.error('SSE authentication failed', error);
      return error instanceof AuthError
        ? reply(ctx, 401, jsonErrors([errorOf(`Forbidden: ${error.message}`, error.code)]))
        : reply(ctx, 500, jsonErrors([errorOf('Internal server error', 'INTERNAL_SERVER_ERROR')]));
    }

    const token = streamTokenOf(ctx.req.headers, urlOf(ctx));
    if (ctx.method === 'PUT') return handleReserve(ctx, principal);
    if (!token) {
      if (accept && (ctx.method === 'GET' || ctx.method === 'POST')) return handleDistinct(ctx, principal);
      if (ctx.method === 'GET' || ctx.method === 'POST') return handlePlain(ctx);
      return reply(ctx, 404, jsonErrors([errorOf('Stream not found')]));
    }
    const stream = reservedStream(ctx, token, principal);
    if (!stream) return;
    if (ctx.method === 'DELETE') {
      const id = urlOf(ctx).searchParams.get('operationId');
      if (!id) return reply(ctx, 400, jsonErrors([errorOf('Operation ID is missing', 'BAD_REQUEST')]));
      const operation = stream.operations.get(id);
      if (operation) {
        stream.operations.delete(id);
        operation.unsubscribe?.();
      }
      return reply(ctx, 200, '');
    }
    if (accept && ctx.method === 'GET') {
      if (stream.events.open) return reply(ctx, 409, jsonErrors([errorOf('Stream already open')]));
      return attach(ctx, stream);
    }
    if (ctx.method === 'GET' || ctx.method === 'POST') return handleOperation(ctx, stream, principal);
    ctx.set('allow', 'GET, POST, PUT, DELETE');
    return reply(ctx, 405, '');
  };

  strapi.addRoutes(['GET', 'POST', 'PUT', 'DELETE'].map((method) => ({ method, path: config.ssePath, handler: handle })));

  const ping = setInterval(() => {
    for (const stream of streams) stream.events.ping();
  }, PING_INTERVAL_MS);
  ping.unref();

  /** A user or token changed: end the streams of refused credentials, regroup those whose audience changed. */
  const stopWatching = pipeline.onPermissionChange(async (change) => {
    for (const { holders, principal } of await pipeline.recheck(change, streams, (stream) => stream.principal)) {
      for (const stream of holders) {
        if (!principal) {
          stream.events.end('revoked');
          continue;
        }
        const before = stream.principal;
        stream.principal = principal;
        if (principal.audienceKey === before.audienceKey) continue;
        for (const operation of [...stream.operations.values()]) {
          operation.unsubscribe?.();
          const again: SseOperation = { id: operation.id, params: operation.params, resumeAfter: null, unsubscribe: null };
          stream.operations.set(again.id, again);
          await run(stream, again, principal);
        }
      }
    }
  });

  return {
    stats() {
      let open = 0;
      let subscriptions = 0;
      for (const stream of streams) {
        if (stream.events.open) open++;
        subscriptions += stream.operations.size;
      }
      return { streams: open, reservations: streams.size - open, subscriptions };
    },
    async stop() {
      stopWatching();
      untrackBacklog();
      clearInterval(ping);
      for (const stream of [...streams]) stream.events.end('server-stopped');
    },
  };
};
