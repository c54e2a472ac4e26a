import {
  DirectiveLocation,
  GraphQLBoolean,
  GraphQLDirective,
  specifiedDirectives,
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  GraphQLUnionType,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLInputFieldConfigMap,
  type GraphQLOutputType,
  type GraphQLScalarType,
  type GraphQLFieldConfigMap,
} from 'graphql';
import type { ChangeAction } from '../config/types';
import type { Entry } from '../events/change-event';
import { REFERENCE_ONLY_ACTIONS } from '../events/change-event';
import { SCALARS } from './scalars';
import {
  hasDraftAndPublish,
  isToMany,
  isTraversableRelation,
  publicAttributes,
  type ContentModel,
  type GetModel,
  type ModelAttribute,
} from './content-model';
import {
  DOCUMENT_REFERENCE_TYPE,
  dynamicZoneName,
  enumName,
  filtersInputName,
  scalarFilterInputName,
  subscriptionFieldName,
  typeName,
} from '../names/graphql-names';
import { applyListArguments, type ListArguments } from './list-arguments';
import type { ResolverContext } from './resolver-context';

/** Which event a subscription field listens to. */
export interface SubscriptionRoute {
  uid: string;
  action: ChangeAction;
  /** Deletions/unpublications: the payload is `{ documentId, locale }`. */
  referenceOnly: boolean;
  draftAndPublish: boolean;
}

export interface RealtimeSchema {
  schema: GraphQLSchema;
  routes: ReadonlyMap<string, SubscriptionRoute>;
}

/** The Socket.IO event that carries the same change, printed on the subscription field for codegen. */
export interface SocketEventOfField {
  name: string;
  /** Relation/media/component fields the Socket.IO payload includes (its `populate` config). */
  populate: string[];
}

export interface SchemaOptions {
  getModel: GetModel;
  /** When the Socket.IO transport is on: its event for a content type's action, if any. */
  socketEvent?: (uid: string, action: ChangeAction) => SocketEventOfField | null;
  /** Enabled content types and their actions, in any order (the output is sorted). */
  contentTypes: { uid: string; actions: Iterable<ChangeAction> }[];
  sensitiveFields: ReadonlySet<string>;
}

const STRAPI_SCALARS: Record<string, GraphQLScalarType> = {
  string: GraphQLString,
  text: GraphQLString,
  richtext: GraphQLString,
  email: GraphQLString,
  uid: GraphQLString,
  enumeration: GraphQLString,
  blocks: SCALARS.JSON,
  json: SCALARS.JSON,
  integer: GraphQLInt,
  biginteger: SCALARS.Long,
  float: GraphQLFloat,
  decimal: GraphQLFloat,
  boolean: GraphQLBoolean,
  date: SCALARS.Date,
  time: SCALARS.Time,
  datetime: SCALARS.DateTime,
  timestamp: SCALARS.DateTime,
};

/** `@socketEvent(name: "article:create", populate: ["category"])` on subscription fields: read by our codegen plugin. */
export const SOCKET_EVENT_DIRECTIVE = new GraphQLDirective({
  name: 'socketEvent',
  description: 'The Socket.IO event (plugin-io compatible) that carries the same change, and the relations its payload includes.',
  locations: [DirectiveLocation.FIELD_DEFINITION],
  args: {
    name: { type: new GraphQLNonNull(GraphQLString) },
    populate: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLString))) },
  },
});

const ACTION_ORDER: ChangeAction[] = ['created', 'updated', 'published', 'unpublished', 'deleted', 'draftDiscarded'];

const ACTION_DESCRIPTION: Record<ChangeAction, string> = {
  created: 'was created',
  updated: 'was updated',
  published: 'was published',
  unpublished: 'was unpublished (its published version is gone; only its reference is sent)',
  deleted: 'was deleted (only its reference is sent)',
  draftDiscarded: 'had its draft discarded (the draft is back to the published content)',
};

/**
 * Builds the subscription schema from content-type models, with @strapi/plugin-graphql v5's type and field
 * names. Field resolvers read the event's entry (already sanitized for the audience) and ask the
 * ResolverContext for permissions and deeper relations, so the schema itself holds no state.
 */
export const buildRealtimeSchema = ({ getModel, contentTypes, sensitiveFields, socketEvent }: SchemaOptions): RealtimeSchema => {
  const objectTypes = new Map<string, GraphQLObjectType>();
  const filterInputs = new Map<string, GraphQLInputObjectType>();
  const scalarFilters = new Map<string, GraphQLInputObjectType>();
  const enums = new Map<string, GraphQLEnumType>();
  const unions = new Map<string, GraphQLUnionType>();

  const requireModel = (uid: string): ContentModel => {
    const model = getModel(uid);
    if (!model) throw new Error(`[realtime] unknown model ${uid}`);
    return model;
  };
  const isDocument = (model: ContentModel) => model.modelType === 'contentType';
  const attributesOf = (model: ContentModel) => publicAttributes(model, sensitiveFields);

  const publicationStatus = new GraphQLEnumType({ name: 'PublicationStatus', values: { DRAFT: { value: 'draft' }, PUBLISHED: { value: 'published' } } });
  const paginationArg = new GraphQLInputObjectType({
    name: 'PaginationArg',
    fields: { page: { type: GraphQLInt }, pageSize: { type: GraphQLInt }, start: { type: GraphQLInt }, limit: { type: GraphQLInt } },
  });

  const enumOf = (model: ContentModel, name: string, attribute: ModelAttribute) => {
    const enumTypeName = enumName(model, name, attribute.enumName);
    if (!enums.has(enumTypeName)) {
      const values = Object.fromEntries((attribute.enum ?? []).map((value) => [value.replace(/[^_a-zA-Z0-9]/g, '_'), { value }]));
      enums.set(enumTypeName, new GraphQLEnumType({ name: enumTypeName, values }));
    }
    return enums.get(enumTypeName)!;
  };

  // ---- filters ---------------------------------------------------------------------------------------
  const scalarFilterOf = (scalar: GraphQLScalarType): GraphQLInputObjectType => {
    const name = scalarFilterInputName(scalar.name);
    if (!scalarFilters.has(name)) {
      const input: GraphQLInputObjectType = new GraphQLInputObjectType({
        name,
        fields: () => {
          const list = new GraphQLList(scalar);
          const one = { type: scalar };
          return {
            and: { type: list },
            or: { type: list },
            not: { type: input },
            eq: one,
            eqi: one,
            ne: one,
            nei: one,
            startsWith: one,
            endsWith: one,
            contains: one,
            notContains: one,
            containsi: one,
            notContainsi: one,
            gt: one,
            gte: one,
            lt: one,
            lte: one,
            null: { type: GraphQLBoolean },
            notNull: { type: GraphQLBoolean },
            in: { type: list },
            notIn: { type: list },
            between: { type: list },
          };
        },
      });
      scalarFilters.set(name, input);
    }
    return scalarFilters.get(name)!;
  };

  const filtersOf = (model: ContentModel): GraphQLInputObjectType => {
    const name = filtersInputName(model);
    if (!filterInputs.has(name)) {
      const input: GraphQLInputObjectType = new GraphQLInputObjectType({
        name,
        fields: () => {
          const fields: GraphQLInputFieldConfigMap = {};
          if (isDocument(model)) fields.documentId = { type: scalarFilterOf(GraphQLID) };
          for (const [name, attribute] of attributesOf(model)) {
            const scalar = STRAPI_SCALARS[attribute.type];
            if (scalar) fields[name] = { type: scalarFilterOf(scalar) };
            else if (attribute.type === 'component') fields[name] = { type: filtersOf(requireModel(attribute.component!)) };
            else if (isTraversableRelation(attribute)) fields[name] = { type: filtersOf(requireModel(attribute.target!)) };
          }
          fields.and = { type: new GraphQLList(input) };
          fields.or = { type: new GraphQLList(input) };
          fields.not = { type: input };
          return fields;
        },
      });
      filterInputs.set(name, input);
    }
    return filterInputs.get(name)!;
  };

  // ---- output types ----------------------------------------------------------------------------------
  const listArgs = (target: ContentModel): GraphQLFieldConfigArgumentMap => ({
    filters: { type: filtersOf(target) },
    pagination: { type: paginationArg, defaultValue: {} },
    sort: { type: new GraphQLList(GraphQLString), defaultValue: [] },
  });

  const relationField = (model: ContentModel, name: string, attribute: ModelAttribute, targetUid: string, toMany: boolean, checkRead: boolean): GraphQLFieldConfig<Entry, ResolverContext> => {
    const target = requireModel(targetUid);
    return {
      type: toMany ? new GraphQLNonNull(new GraphQLList(objectTypeOf(target))) : objectTypeOf(target),
      args: toMany ? listArgs(target) : undefined,
      async resolve(parent, args: ListArguments, context) {
        if (checkRead && !(await context.canFind(targetUid))) return toMany ? [] : null;
        const value = name in parent ? parent[name] : await context.loadRelation(model, parent, name);
        if (!toMany) return (Array.isArray(value) ? value[0] : value) ?? null;
        const items = (Array.isArray(value) ? value : value ? [value] : []) as Entry[];
        return applyListArguments(items, args, target, context);
      },
    };
  };

  const dynamicZoneOf = (model: ContentModel, name: string, attribute: ModelAttribute): GraphQLOutputType => {
    const unionName = dynamicZoneName(model, name);
    if (!unions.has(unionName)) {
      const components = (attribute.components ?? []).map(requireModel);
      unions.set(
        unionName,
        new GraphQLUnionType({
          name: unionName,
          types: () => components.map(objectTypeOf),
          resolveType: (value: Entry) => components.find((c) => c.uid === value.__component)?.globalId,
        }),
      );
    }
    return new GraphQLList(unions.get(unionName)!);
  };

  const fieldOf = (model: ContentModel, name: string, attribute: ModelAttribute): GraphQLFieldConfig<Entry, ResolverContext> | null => {
    const wrap = (type: GraphQLOutputType) => (attribute.required ? new GraphQLNonNull(type) : type);
    if (attribute.type === 'enumeration') return { type: wrap(enumOf(model, name, attribute)) };
    if (STRAPI_SCALARS[attribute.type]) return { type: wrap(STRAPI_SCALARS[attribute.type]) };
    if (attribute.type === 'component') {
      const component = objectTypeOf(requireModel(attribute.component!));
      return { type: wrap(attribute.repeatable ? new GraphQLList(component) : component) };
    }
    if (attribute.type === 'dynamiczone') return { type: wrap(dynamicZoneOf(model, name, attribute)) };
    // Media are readable wherever their parent is, as over REST (the sanitizer does not gate them either).
    if (attribute.type === 'media') return relationField(model, name, attribute, 'plugin::upload.file', !!attribute.multiple, false);
    if (isTraversableRelation(attribute)) return relationField(model, name, attribute, attribute.target!, isToMany(attribute), true);
    return null;
  };

  function objectTypeOf(model: ContentModel): GraphQLObjectType {
    const name = typeName(model);
    if (!objectTypes.has(name)) {
      objectTypes.set(
        name,
        new GraphQLObjectType<Entry, ResolverContext>({
          name,
          description: model.info.description || undefined,
          fields: () => {
            const fields: GraphQLFieldConfigMap<Entry, ResolverContext> = isDocument(model)
              ? { documentId: { type: new GraphQLNonNull(GraphQLID) } }
              : { id: { type: new GraphQLNonNull(GraphQLID) } };
            for (const [attributeName, attribute] of attributesOf(model)) {
              const field = fieldOf(model, attributeName, attribute);
              if (field) fields[attributeName] = field;
            }
            return fields;
          },
        }),
      );
    }
    return objectTypes.get(name)!;
  }

  // ---- subscriptions ---------------------------------------------------------------------------------
  const documentReference = new GraphQLObjectType({
    name: DOCUMENT_REFERENCE_TYPE,
    description: 'What remains of a deleted or unpublished version: the document it belonged to.',
    fields: { documentId: { type: new GraphQLNonNull(GraphQLID) }, locale: { type: SCALARS.I18NLocaleCode } },
  });

  const routes = new Map<string, SubscriptionRoute>();
  const subscriptionFields: GraphQLFieldConfigMap<{ payload: Entry }, ResolverContext> = {};
  const sorted = [...contentTypes].sort((a, b) => a.uid.localeCompare(b.uid));
  for (const { uid, actions } of sorted) {
    const model = requireModel(uid);
    const enabled = new Set(actions);
    for (const action of ACTION_ORDER) {
      if (!enabled.has(action)) continue;
      const draftAndPublish = hasDraftAndPublish(model);
      if (!draftAndPublish && ['published', 'unpublished', 'draftDiscarded'].includes(action)) continue;
      const referenceOnly = REFERENCE_ONLY_ACTIONS.has(action);
      const fieldName = subscriptionFieldName(model, action);
      routes.set(fieldName, { uid, action, referenceOnly, draftAndPublish });
      const socket = socketEvent?.(uid, action);
      subscriptionFields[fieldName] = {
        ...(socket ? { extensions: { directives: { [SOCKET_EVENT_DIRECTIVE.name]: socket } } } : {}),
        type: new GraphQLNonNull(referenceOnly ? documentReference : objectTypeOf(model)),
        description: `${model.info.displayName ?? typeName(model)} ${ACTION_DESCRIPTION[action]}.`,
        args: {
          documentId: { type: GraphQLID, description: 'Only this document.' },
          ...(referenceOnly ? {} : { filters: { type: filtersOf(model), description: 'Only entries matching these filters.' } }),
          locale: { type: SCALARS.I18NLocaleCode, description: 'Only this locale (localized types).' },
          status: {
            type: publicationStatus,
            defaultValue: 'published',
            description: 'PUBLISHED (default) or DRAFT versions; drafts need the same read permission as over REST.',
          },
        },
        resolve: (root) => root.payload,
      };
    }
  }

  const query = new GraphQLObjectType({
    name: 'Query',
    fields: {
      realtimeSubscriptions: {
        type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLString))),
        description: 'Names of the subscription fields this endpoint serves.',
        resolve: () => [...routes.keys()],
      },
      realtimeCursor: {
        type: GraphQLString,
        description:
          'The newest position of the event log (null while it is empty). A client that has not received any event yet resumes from it: send it as `extensions.cursor` when subscribing again.',
        resolve: (root: { realtimeCursor?: () => string | null } | undefined) => root?.realtimeCursor?.() ?? null,
      },
    },
  });
  const subscription = new GraphQLObjectType({ name: 'Subscription', fields: subscriptionFields });
  return {
    schema: new GraphQLSchema({ query, subscription, ...(socketEvent ? { directives: [...specifiedDirectives, SOCKET_EVENT_DIRECTIVE] } : {}) }),
    routes,
  };
};
