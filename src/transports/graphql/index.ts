import { specifiedRules } from 'graphql';
import type { RealtimeContext } from '../../context';
import type { RunningTransport } from '../transport';
import { buildAppSchema } from '../../schema/app-schema';
import { printRealtimeSdl } from '../../schema/print-sdl';
import { createSerialQueue } from '../../util/serial-queue';
import { createResolverContexts } from './resolver-contexts';
import { createSubscriptionHub } from './subscription-hub';
import { createDocumentCache } from './document-cache';
import { depthLimitRule } from './depth-limit-rule';
import { createGraphqlWsProtocol } from './graphql-ws-protocol';
import { startGraphqlWsServer } from './graphql-ws-server';
import { startSseServer } from './sse-server';

/** GraphQL subscriptions over graphql-ws (WebSocket) and SSE, plus the SDL over HTTP. */
export const startGraphqlTransport = async (context: RealtimeContext): Promise<RunningTransport> => {
  const { strapi, pipeline, config, settings, upgrades, monitor, log } = context;
  const graphqlConfig = config.graphql;
  const getModel = (uid: string) => strapi.getModel(uid);
  const { schema, routes } = buildAppSchema(getModel, { config, settings });
  const hub = createSubscriptionHub({ schema, routes, pipeline, contexts: createResolverContexts(strapi, pipeline), getModel });
  // Beyond GraphQL's own rules (yoga applies those itself; graphql-ws documents get them from the cache below).
  const limitRules = [depthLimitRule(graphqlConfig.maxDepth)];

  const protocol = createGraphqlWsProtocol({
    config: graphqlConfig,
    schema,
    hub,
    pipeline,
    checkDocument: createDocumentCache(schema, [...specifiedRules, ...limitRules]),
    monitor,
    log,
  });
  const ws = startGraphqlWsServer({ config: graphqlConfig, protocol, upgrades });
  const firstField = [...routes.keys()].find((name) => name.endsWith('Created')) ?? [...routes.keys()][0];
  const sse = startSseServer({
    strapi,
    config: graphqlConfig,
    schema,
    hub,
    pipeline,
    limitRules,
    exampleQuery: firstField ? `subscription {\n  ${firstField} {\n    documentId\n  }\n}\n` : '',
  });

  const sdl = printRealtimeSdl(schema);
  strapi.addRoutes([
    {
      method: 'GET',
      path: graphqlConfig.sdlPath,
      handler: (ctx: { type: string; body: string }) => {
        ctx.type = 'text/plain; charset=utf-8';
        ctx.body = sdl;
      },
    },
  ]);

  // Events are dispatched one after another so every subscriber sees them in capture order.
  const queue = createSerialQueue((error) => log.error('graphql delivery failed', error));

  return {
    name: 'graphql',
    endpoints: {
      graphqlWs: graphqlConfig.path,
      graphqlSse: graphqlConfig.ssePath,
      sdl: graphqlConfig.sdlPath,
      ...(graphqlConfig.graphiql ? { graphiql: graphqlConfig.ssePath } : {}),
    },
    deliver: (message) => (message.type === 'change' ? queue.push(() => hub.dispatch(message.event)) : Promise.resolve()),
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
          connections: sseStats.subscriptions,
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
