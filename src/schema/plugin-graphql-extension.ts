import {
  GraphQLError,
  GraphQLObjectType,
  getNamedType,
  isScalarType,
  isSpecifiedScalarType,
  printType,
  type GraphQLField,
  type GraphQLFieldConfigMap,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { DOCUMENT_REFERENCE_TYPE } from '../names/graphql-names';

/**
 * Types the subscription fields need besides the content types. @strapi/plugin-graphql has its own
 * `PublicationStatus` and the i18n plugin its `I18NLocaleCode`; `DocumentReference` is ours. Each is declared in
 * the extension only when that schema lacks it, from the same definition the realtime schema uses.
 */
const SUPPORT_TYPES = [DOCUMENT_REFERENCE_TYPE, 'PublicationStatus', 'I18NLocaleCode'];

/** What `strapi.plugin('graphql').service('extension').use(...)` accepts (the parts we use). */
export interface PluginGraphqlExtension {
  typeDefs: string;
  resolvers: { Subscription: Record<string, { subscribe: () => never; resolve: () => never }> };
  resolversConfig: Record<string, { auth: false }>;
}

export interface PluginGraphqlSubscriptions {
  extension: PluginGraphqlExtension;
  /** Subscription fields added to plugin-graphql's schema. */
  added: string[];
  /** Fields left out because plugin-graphql's schema has no type of that name (shadow CRUD disabled for it). */
  skipped: { field: string; missing: string[] }[];
}

const namedTypesOf = (field: GraphQLField<unknown, unknown>): GraphQLNamedType[] => [
  getNamedType(field.type),
  ...field.args.map((arg) => getNamedType(arg.type)),
];

const isBuiltIn = (schema: GraphQLSchema, name: string) => {
  const type = schema.getType(name);
  return type !== undefined && isScalarType(type) && isSpecifiedScalarType(type);
};

/**
 * The realtime subscription fields as an extension of @strapi/plugin-graphql's schema, so one introspection of
 * `/graphql` shows queries, mutations and subscriptions, with plugin-graphql's own `Article`, `ArticleFiltersInput`,
 * ... (same names as ours, by design). plugin-graphql never serves them: the realtime transports execute with the
 * realtime schema. A subscription POSTed to its HTTP endpoint (Apollo Server runs it like a query) gets an error
 * saying where to subscribe, and `auth: false` keeps plugin-graphql's permission check away from fields it cannot map to an action.
 *
 * @param hasType whether plugin-graphql's schema will have a type of that name
 * @param whereToSubscribe the message of the error a subscription sent to plugin-graphql gets
 */
export const pluginGraphqlSubscriptions = (
  schema: GraphQLSchema,
  hasType: (name: string) => boolean,
  whereToSubscribe: string,
): PluginGraphqlSubscriptions => {
  const subscription = schema.getSubscriptionType();
  const fields = subscription ? subscription.toConfig().fields : {};
  const picked: GraphQLFieldConfigMap<unknown, unknown> = {};
  const skipped: PluginGraphqlSubscriptions['skipped'] = [];
  for (const field of Object.values(subscription?.getFields() ?? {})) {
    const missing = [
      ...new Set(
        namedTypesOf(field)
          .map(({ name }) => name)
          .filter((name) => !SUPPORT_TYPES.includes(name) && !isBuiltIn(schema, name) && !hasType(name)),
      ),
    ];
    if (missing.length > 0) skipped.push({ field: field.name, missing });
    else picked[field.name] = fields[field.name];
  }
  const added = Object.keys(picked);
  if (added.length === 0) {
    return { extension: { typeDefs: '', resolvers: { Subscription: {} }, resolversConfig: {} }, added, skipped };
  }

  const supportTypes = SUPPORT_TYPES.filter((name) => !hasType(name) && schema.getType(name)).map((name) => printType(schema.getType(name)!));
  const typeDefs = [...supportTypes, printType(new GraphQLObjectType({ name: 'Subscription', fields: picked }))].join('\n\n');
  const refuse = (): never => {
    throw new GraphQLError(whereToSubscribe, { extensions: { code: 'BAD_REQUEST' } });
  };
  return {
    extension: {
      typeDefs,
      resolvers: { Subscription: Object.fromEntries(added.map((name) => [name, { subscribe: refuse, resolve: refuse }])) },
      resolversConfig: Object.fromEntries(added.map((name) => [`Subscription.${name}`, { auth: false as const }])),
    },
    added,
    skipped,
  };
};
