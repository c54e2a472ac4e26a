import { NoSchemaIntrospectionCustomRule, specifiedRules } from 'graphql';
import type { RealtimeContext } from '../../context';
import type { RunningTransport } from '../transport';
import { buildAppSchema } from '../../schema/app-schema';
import { printRealtimeSdl } from '../../schema/print-sdl';
import { createTransportQueue } from '../../delivery/delivery-queue';
import { createResolverContexts } from './resolver-contexts';
import { createSubscriptionHub } from './subscription-hub';
import { createDocumentCache } from './document-cache';
import { createGraphqlWsProtocol } from './graphql-ws-protocol';
import { startGraphqlWsServer } from './graphql-ws-server';
import { startSseServer } from './sse-server';
import { serveSdl } from './sdl-endpoint';
import { buildExampleSubscription } from './example-subscription';

/**
 * Introspection as @strapi/plugin-graphql has it (Apollo's rule: off when NODE_ENV is production, unless its
 * `apolloServer.introspection` says otherwise), unless our own `graphql.introspection` is set.
 */
const introspectionAllowed = (context: RealtimeContext): boolean =>
  context.config.graphql.introspection ??
  context.strapi.config<{ introspection?: boolean } | undefined>('plugin::graphql.apolloServer')?.introspection ??
  process.env.NODE_ENV !== 'production';

/** GraphQL subscriptions over graphql-ws (WebSocket) and SSE, plus the SDL over HTTP. */
export const startGraphqlTransport = async (context: RealtimeContext): Promise<RunningTransport> => {
  const { strapi, pipeline, config, settings, upgrades, limiter, monitor, log, eventLog } = context;
  const graphqlConfig = config.graphql;
  const getModel = (uid: string) => strapi.getModel(uid);
  const { schema, routes } = buildAppSchema(getModel, { config, settings });
  // Records are dispatched one after another (every subscriber sees them in log order); replays join this queue.
  const queue = createTransportQueue(context, 'graphql', (records) => hub.dispatchRun(records));
  const hub = createSubscriptionHub({
    schema,
    routes,
    pipeline,
    contexts: createResolverContexts(strapi, pipeline),
    getModel,
    limits: { maxInputDepth: graphqlConfig.maxInputDepth, maxFilterSize: graphqlConfig.maxFilterSize },
    readAfter: (cursor) => eventLog.readAfter(cursor),
    schedule: (job) => void queue.schedule(job),
    slices: context.slices,
    delivered: (transport, event, audienceKey, count) => monitor.delivered(transport, event, audienceKey, count),
    log,
    trace: context.trace,
  });
  const introspection = introspectionAllowed(context);
  // One check (and one cache of validated documents) for both transports, with the same ceilings.
  const checkDocument = createDocumentCache(schema, introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule], {
    maxBytes: graphqlConfig.maxMessageBytes,
    maxTokens: graphqlConfig.maxTokens,
    maxDepth: graphqlConfig.maxDepth,
    maxFields: graphqlConfig.maxFields,
    maxAliases: graphqlConfig.maxAliases,
    maxValueDepth: graphqlConfig.maxInputDepth,
  });

  const protocol = createGraphqlWsProtocol({
    config: graphqlConfig,
    schema,
    hub,
    pipeline,
    checkDocument,
    monitor,
    log,
    backlog: context.backlog,
    head: () => eventLog.head(),
  });
  const ws = startGraphqlWsServer({ config: graphqlConfig, protocol, upgrades, limiter, strapi, slices: context.slices });
  const sse = startSseServer({ context, config: graphqlConfig, schema, hub, checkDocument, exampleSubscription: buildExampleSubscription(schema) });
  serveSdl({ strapi, path: graphqlConfig.sdlPath, sdl: printRealtimeSdl(schema), open: introspection, token: graphqlConfig.sdlToken });


  return {
    name: 'graphql',
    endpoints: {
      graphqlWs: graphqlConfig.path,
      graphqlSse: graphqlConfig.ssePath,
      sdl: graphqlConfig.sdlPath,
      ...(graphqlConfig.graphiql ? { graphiql: graphqlConfig.ssePath } : {}),
    },
    deliver: (record) => queue.push(record),
    queue: () => queue.stats(),
    stats() {
      const hubStats = hub.stats();
      const wsStats = protocol.stats();
      const sseStats = sse.stats();
      return [
        {
          transport: 'graphql-ws',
          connections: wsStats.connections,
          subscriptions: wsStats.subscriptions,
          subscriptionsByContentType: hubStats.byContentType,
          audiences: hubStats.audiences,
          groups: hubStats.groups,
          executions: hubStats.executions,
        },
        {
          transport: 'graphql-sse',
          // Open streams plus reservations not opened yet: both hold a connection ticket.
          connections: sseStats.streams + sseStats.reservations,
          subscriptions: sseStats.subscriptions,
          // SSE subscribers join the same hub groups: audiences, groups and executions are in the row above.
          subscriptionsByContentType: {},
          audiences: 0,
          groups: 0,
        },
      ];
    },
    async stop() {
      protocol.dispose();
      await ws.stop();
      await sse.stop();
      await queue.drain();
    },
  };
};
