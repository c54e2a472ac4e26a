import type { Core } from '@strapi/strapi';
import type { Runtime } from '../../runtime';
import { pluginGraphqlSubscriptions } from '../../schema/plugin-graphql-extension';
import { buildAppSchema } from './index';

type TypeRegistry = { has(name: string): boolean };
type ExtensionService = { use(configuration: (context: { typeRegistry: TypeRegistry }) => object): unknown };

/**
 * When @strapi/plugin-graphql is enabled, adds the subscription fields to its schema (called in `register`, as
 * plugin-graphql requires). It calls the configuration while building its schema, at its bootstrap, with the
 * registry of the types it generated; fields whose types it lacks are left out rather than breaking its boot.
 * Returns false when there is no plugin-graphql to extend.
 */
export const addSubscriptionsToPluginGraphql = (strapi: Core.Strapi, runtime: Pick<Runtime, 'settings' | 'config'>): boolean => {
  const graphqlPlugin = strapi.plugin('graphql');
  if (!graphqlPlugin || !runtime.config.graphql.enabled) return false;
  const extension = graphqlPlugin.service('extension') as unknown as ExtensionService;
  const { path, ssePath } = runtime.config.graphql;
  const whereToSubscribe = `Subscriptions are served by strapi-plugin-realtime over WebSocket (graphql-ws, ${path}) and GraphQL over SSE (${ssePath}), not over this HTTP endpoint.`;
  // plugin-graphql evaluates extensions twice per schema build; build once per build (its registry).
  const built = new WeakMap<TypeRegistry, ReturnType<typeof pluginGraphqlSubscriptions>>();
  extension.use(({ typeRegistry }) => {
    let result = built.get(typeRegistry);
    if (!result) {
      // I18NLocaleCode is a type of the i18n plugin's own extension, not of the registry.
      const hasType = (name: string) => typeRegistry.has(name) || (name === 'I18NLocaleCode' && !!strapi.plugin('i18n'));
      result = pluginGraphqlSubscriptions(buildAppSchema(strapi, runtime).schema, hasType, whereToSubscribe);
      built.set(typeRegistry, result);
      for (const { field, missing } of result.skipped) {
        strapi.log.debug(`[realtime] ${field} is not added to @strapi/plugin-graphql's schema: it has no ${missing.join(', ')}`);
      }
    }
    return result.extension;
  });
  return true;
};
