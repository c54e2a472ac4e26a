import type { Core } from '@strapi/strapi';
import { specifiedRules } from 'graphql';
import type { Runtime } from '../../runtime';
import { startedRuntimeOf } from '../../runtime';
import type { RunningTransport } from '../transport';
import type { ContentModel } from '../../schema/content-model';
import { buildRealtimeSchema } from '../../schema/build-schema';
import { printRealtimeSdl } from '../../schema/print-sdl';
import { createSerialQueue } from '../../util/serial-queue';
import { SOCKET_VERB, socketEventName } from '../../schema/names';
import { populatedFieldNames } from '../../capture/populate';
import { createResolverContexts } from './resolver-contexts';
import { createSubscriptionHub } from './subscription-hub';
import { depthLimitRule } from './depth-limit-rule';
import { startGraphqlWsServer } from './graphql-ws-server';
import { startSseServer } from './sse-server';
import { buildExampleSubscription } from './example-subscription';

const modelsOf = (strapi: Core.Strapi) => (uid: string) => strapi.getModel(uid as never) as unknown as ContentModel | undefined;

/** The subscription schema of this app, as served (also used by the CLI and `npm run generate`). */
export const buildAppSchema = (strapi: Core.Strapi, runtime: Pick<Runtime, 'settings' | 'config'>) =>
  buildRealtimeSchema({
    getModel: modelsOf(strapi),
    contentTypes: [...runtime.settings.values()],
    sensitiveFields: new Set(runtime.config.sensitiveFields),
    socketEvent: runtime.config.socket.enabled
      ? (uid, action) => {
          const settings = runtime.settings.get(uid);
          const verb = SOCKET_VERB[action];
          if (!settings || !verb) return null;
          return { name: socketEventName(settings.eventPrefix, verb), populate: [...populatedFieldNames(strapi, uid, settings.populate)] };
        }
      : undefined,
  });

/** GraphQL subscriptions over graphql-ws (WebSocket) and SSE, plus the SDL over HTTP. */
export const startGraphqlTransport = async (strapi: Core.Strapi, runtime: Runtime): Promise<RunningTransport> => {
  const { pipeline, config, upgrades, monitor } = startedRuntimeOf(strapi);
  const graphqlConfig = config.graphql;
  const getModel = modelsOf(strapi);
  const { schema, routes } = buildAppSchema(strapi, runtime);
  const hub = createSubscriptionHub({ schema, routes, pipeline, contexts: createResolverContexts(strapi, pipeline, getModel), getModel });
  // Beyond GraphQL's own rules (yoga applies those itself; our graphql-ws server adds them below).
  const limitRules = [depthLimitRule(graphqlConfig.maxDepth)];
  const log = {
    warn: (message: string) => strapi.log.warn(message),
    error: (message: string) => strapi.log.error(message),
  };

  const ws = startGraphqlWsServer({
    config: graphqlConfig,
    schema,
    hub,
    pipeline,
    upgrades: upgrades!,
    monitor: monitor!,
    validationRules: [...specifiedRules, ...limitRules],
    log,
  });
  const sse = startSseServer({
    strapi,
    config: graphqlConfig,
    schema,
    hub,
    pipeline,
    limitRules,
    exampleQuery: buildExampleSubscription(schema),
  });

  const sdl = printRealtimeSdl(schema);
  strapi.server.routes([
    {
      method: 'GET',
      path: graphqlConfig.sdlPath,
      handler: (ctx: { type: string; body: string }) => {
        ctx.type = 'text/plain; charset=utf-8';
        ctx.body = sdl;
      },
      config: { auth: false },
    },
  ] as never);

  Object.assign(runtime.endpoints, {
    graphqlWs: graphqlConfig.path,
    graphqlSse: graphqlConfig.ssePath,
    sdl: graphqlConfig.sdlPath,
    ...(graphqlConfig.graphiql ? { graphiql: graphqlConfig.ssePath } : {}),
  });

  // Events are dispatched one after another so every subscriber sees them in capture order.
  const queue = createSerialQueue((error) => strapi.log.error(`[realtime] graphql delivery failed: ${String(error)}`));

  return {
    name: 'graphql',
    deliver: (message) => (message.type === 'change' ? queue.push(() => hub.dispatch(message.event)) : Promise.resolve()),
    stats() {
      const hubStats = hub.stats();
      const wsStats = ws.stats();
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
      await ws.stop();
      await sse.stop();
      await queue.drain();
    },
  };
};
