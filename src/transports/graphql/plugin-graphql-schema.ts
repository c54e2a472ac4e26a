import type { Runtime } from '../../runtime';
import { pluginGraphqlSubscriptions } from '../../schema/plugin-graphql-extension';
import { buildAppSchema } from '../../schema/app-schema';
import type { StrapiAdapter, TypeRegistry } from '../../strapi/strapi-adapter';

/**
 * When @strapi/plugin-graphql is enabled, adds the subscription fields to its schema (called in `register`, as
 * plugin-graphql requires). It calls the configuration while building its schema, at its bootstrap, with the
 * registry of the types it generated; fields whose types it lacks are left out rather than breaking its boot.
 * Returns false when there is no plugin-graphql to extend.
 */
export const addSubscriptionsToPluginGraphql = (strapi: StrapiAdapter, runtime: Pick<Runtime, 'settings' | 'config'>): boolean => {
  const extension = strapi.pluginGraphqlExtensions();
  if (!extension || !runtime.config.graphql.enabled) return false;
  const { path, ssePath } = runtime.config.graphql;
  const whereToSubscribe = `Subscriptions are served by strapi-plugin-realtime over WebSocket (graphql-ws, ${path}) and GraphQL over SSE (${ssePath}), not over this HTTP endpoint.`;
  // plugin-graphql evaluates extensions twice per schema build; build once per build (its registry).
  const built = new WeakMap<TypeRegistry, ReturnType<typeof pluginGraphqlSubscriptions>>();
  extension.use(({ typeRegistry }) => {
    let result = built.get(typeRegistry);
    if (!result) {
      // I18NLocaleCode is a type of the i18n plugin's own extension, not of the registry.
      const hasType = (name: string) => typeRegistry.has(name) || (name === 'I18NLocaleCode' && strapi.hasPlugin('i18n'));
      result = pluginGraphqlSubscriptions(buildAppSchema((uid) => strapi.getModel(uid), runtime).schema, hasType, whereToSubscribe);
      built.set(typeRegistry, result);
      for (const { field, missing } of result.skipped) {
        strapi.log.debug(`${field} is not added to @strapi/plugin-graphql's schema: it has no ${missing.join(', ')}`);
      }
    }
    return result.extension;
  });
  return true;
};
