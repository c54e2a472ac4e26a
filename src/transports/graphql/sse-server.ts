import type { IncomingMessage } from 'node:http';
import type { Core } from '@strapi/strapi';
import { createYoga, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import { createHandler } from 'graphql-sse/lib/use/fetch';
import { GraphQLError, getOperationAST, type ExecutionResult, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { GraphqlTransportConfig } from '../../config/types';
import type { Pipeline } from '../../pipeline/pipeline';
import type { Principal } from '../../pipeline/principal';
import { AuthError } from '../../pipeline/auth-error';
import { createAsyncQueue } from '../../util/async-queue';
import { expiryTimer } from '../expiry-timer';
import type { SubscriptionHub } from './subscription-hub';
import { credentialFrom } from './credential';
import { isGraphiqlRequest, renderGraphiqlPage } from './graphiql-page';
import { isGraphqlSseRequest } from './graphql-sse-request';
import { subscriptionsOverSseOnly } from './subscriptions-over-sse-only';

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
}) => {
  const { strapi, config, schema, hub, pipeline, limitRules, exampleQuery } = options;
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
      if (config.graphiql && isGraphiqlRequest(request)) {
        return endResponse(renderGraphiqlPage({ endpoint: config.ssePath, exampleSubscription: exampleQuery }, fetchAPI.Response));
      }
      try {
        principals.set(request, await pipeline.resolvePrincipal(credentialFrom({ authorization: request.headers.get('authorization') })));
      } catch (error) {
        const code = error instanceof AuthError ? error.code : 'INTERNAL_SERVER_ERROR';
        const message = error instanceof AuthError ? `Forbidden: ${error.message}` : 'Internal server error';
        endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
            status: error instanceof AuthError ? 401 : 500,
            headers: { 'content-type': 'application/json' },
          }),
        );
        return;
      }
      // Anything else is plain GraphQL over HTTP (GraphiQL's introspection): yoga answers it with the same schema.
      if (graphqlSse && isGraphqlSseRequest(request)) endResponse(await graphqlSse(request));
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
        });
        const outcome = await hub.subscribe({
          principal,
          document: args.document,
          operationName: args.operationName,
          variables: args.variableValues as Record<string, unknown> | undefined,
          sink: { next: ({ result }) => queue.push(result) },
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
    plugins: [realtimePlugin, subscriptionsOverSseOnly()],
  });

  const handler = async (ctx: { req: IncomingMessage & { body?: unknown }; res: import('node:http').ServerResponse; request: { body?: unknown }; respond?: boolean }) => {
    // Strapi's body parser already read the request: hand yoga the parsed body.
    if (ctx.request.body !== undefined && ctx.req.body === undefined) ctx.req.body = ctx.request.body;
    ctx.respond = false;
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
