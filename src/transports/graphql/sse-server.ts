import type { IncomingMessage } from 'node:http';
import type { Core } from '@strapi/strapi';
import { createYoga, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import { createHandler } from 'graphql-sse/lib/use/fetch';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError, getOperationAST, type ExecutionResult, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { GraphqlTransportConfig } from '../../config/types';
import type { Pipeline } from '../../pipeline/pipeline';
import type { Principal } from '../../pipeline/principal';
import { AuthError } from '../../pipeline/auth-error';
import { createAsyncQueue } from '../../util/async-queue';
import { expiryTimer } from '../expiry-timer';
import type { Observability } from '../../observability/observability';
import type { SubscriptionHub } from './subscription-hub';
import { credentialFrom } from './credential';

type SseContext = YogaInitialContext & { principal?: Principal };

/** Results a slow SSE reader may lag behind before its stream is ended (it can reconnect). */
const MAX_QUEUED_RESULTS = 256;

/**
 * GraphQL over Server-Sent Events through graphql-yoga: the graphql-sse protocol (distinct and single
 * connection modes) on `ssePath`, same schema, and subscriptions executed by the same hub (and so the same
 * groups and pipeline) as graphql-ws. In development a GET from a browser gets GraphiQL.
 */
export const startSseServer = (options: {
  strapi: Core.Strapi;
  config: GraphqlTransportConfig;
  schema: GraphQLSchema;
  hub: SubscriptionHub;
  pipeline: Pipeline;
  /** Validation rules added to yoga's own (the spec's rules), e.g. the depth limit. */
  limitRules: readonly ValidationRule[];
  exampleQuery: string;
  monitor: Observability;
}) => {
  const { strapi, config, schema, hub, pipeline, limitRules, exampleQuery, monitor } = options;
  const principals = new WeakMap<Request, Principal>();
  let open = 0;

  // The graphql-sse protocol handler (both modes), fed by yoga's envelop (parse, validate with our rules,
  // context, execute/subscribe). Unlike @graphql-yoga/plugin-graphql-sse it answers documents that do not
  // parse or validate with 400 and their errors, and it only sees requests that passed authentication.
  let graphqlSse: ((request: Request) => Promise<Response>) | null = null;
  // graphql-sse's "response" form: [body, init].
  const badRequest = (errors: readonly unknown[]) =>
    [JSON.stringify({ errors }), { status: 400, statusText: 'Bad Request', headers: { 'content-type': 'application/json; charset=utf-8' } }] as never;

  const realtimePlugin: Plugin<SseContext> = {
    onYogaInit({ yoga }) {
      graphqlSse = createHandler(
        {
          onSubscribe(req, params) {
            const enveloped = yoga.getEnveloped({ request: req.raw, params });
            let document;
            try {
              document = enveloped.parse(params.query);
            } catch (error) {
              return badRequest([error instanceof GraphQLError ? error.toJSON() : { message: 'Bad request' }]);
            }
            const errors = enveloped.validate(enveloped.schema, document);
            if (errors.length > 0) return badRequest(errors.map((error: GraphQLError) => error.toJSON()));
            return Promise.resolve(enveloped.contextFactory()).then((contextValue) => {
              const args = {
                schema: enveloped.schema,
                document,
                contextValue,
                variableValues: params.variables,
                operationName: params.operationName,
              };
              const operation = getOperationAST(document, params.operationName);
              return (operation?.operation === 'subscription' ? enveloped.subscribe(args) : enveloped.execute(args)) as ExecutionResult;
            }) as never;
          },
        },
        yoga.fetchAPI,
      );
    },
    async onRequest({ request, endResponse, fetchAPI }) {
      if (config.graphiql && request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html')) {
        const html = renderGraphiQL({
          endpoint: config.ssePath,
          title: 'strapi-plugin-realtime',
          defaultQuery: exampleQuery,
          subscriptionsProtocol: 'GRAPHQL_SSE',
        } as never);
        return endResponse(new fetchAPI.Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } }));
      }
      try {
        principals.set(request, await pipeline.resolvePrincipal(credentialFrom({ authorization: request.headers.get('authorization') })));
      } catch (error) {
        const code = error instanceof AuthError ? error.code : 'INTERNAL_SERVER_ERROR';
        monitor.connectionRefused('graphql-sse', code);
        const message = error instanceof AuthError ? `Forbidden: ${error.message}` : 'Internal server error';
        endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
            status: error instanceof AuthError ? 401 : 500,
            headers: { 'content-type': 'application/json' },
          }),
        );
        return;
      }
      if (graphqlSse) endResponse(await graphqlSse(request));
    },
    onValidate({ addValidationRule }) {
      for (const rule of limitRules) addValidationRule(rule);
    },
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args) => {
        const principal = principals.get((args.contextValue as SseContext).request);
        // `data: null` marks these as results (graphql-sse sends them as a `next` event, then completes).
        if (!principal) return { data: null, errors: [{ message: 'Unauthorized', extensions: { code: 'UNAUTHORIZED' } }] } as unknown as ExecutionResult;
        let stop = () => undefined as void;
        const queue = createAsyncQueue<ExecutionResult>({
          limit: MAX_QUEUED_RESULTS,
          onReturn: () => stop(),
          onOverflow: () => void monitor.slowClientClosed('graphql-sse'),
        });
        const outcome = await hub.subscribe({
          principal,
          document: args.document,
          operationName: args.operationName,
          variables: args.variableValues as Record<string, unknown> | undefined,
          sink: {
            next: ({ result, event, audienceKey }) => {
              queue.push(result);
              monitor.delivered('graphql-sse', event, audienceKey);
            },
          },
        });
        if (!outcome.ok) return { data: null, errors: outcome.errors } as ExecutionResult;
        open++;
        // The stream ends when the credential expires; the client reconnects with a fresh one.
        const stopExpiry = expiryTimer(principal.expiresAt, () => queue.end());
        stop = () => {
          open--;
          stopExpiry();
          outcome.unsubscribe();
        };
        return queue.iterator;
      });
    },
  };

  const yoga = createYoga<Record<string, unknown>, SseContext>({
    schema,
    graphqlEndpoint: config.ssePath,
    graphiql: false,
    landingPage: false,
    maskedErrors: true,
    logging: false,
    plugins: [realtimePlugin],
  });

  const handler = async (ctx: { req: IncomingMessage & { body?: unknown }; res: import('node:http').ServerResponse; request: { body?: unknown }; respond?: boolean }) => {
    // Strapi's body parser already read the request: hand yoga the parsed body.
    if (ctx.request.body !== undefined && ctx.req.body === undefined) ctx.req.body = ctx.request.body;
    ctx.respond = false;
    // GraphiQL loads its inline scripts: relax Strapi's CSP on this development-only page.
    if (config.graphiql) ctx.res.removeHeader('content-security-policy');
    await yoga.requestListener(ctx.req, ctx.res);
  };

  strapi.server.routes(
    ['GET', 'POST', 'PUT', 'DELETE'].map((method) => ({
      method,
      path: config.ssePath,
      handler,
      config: { auth: false },
    })) as never,
  );

  return {
    stats: () => ({ subscriptions: open }),
    async stop() {
      await yoga.dispose();
    },
  };
};
