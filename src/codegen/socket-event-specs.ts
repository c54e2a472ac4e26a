import {
  getNamedType,
  getNullableType,
  isEnumType,
  isListType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { getDirective } from '@graphql-tools/utils';
import { SOCKET_EVENT_DIRECTIVE } from '../schema/build-schema';
import { DOCUMENT_REFERENCE_TYPE } from '../names/graphql-names';

/** An object type as a Socket.IO payload carries it: its scalar and enum fields (GraphQL's `id` excluded). */
export interface PayloadShape {
  typeName: string;
  scalars: string[];
}

/** A relation, media, component or dynamic zone field the Socket.IO payload includes (`populate`). */
export interface PopulatedField {
  name: string;
  /** `null` when the payload includes the key but the GraphQL type has no such field (it cannot be typed). */
  targets: PayloadShape[] | null;
  /** A list field (to-many relation, multiple media, repeatable component, dynamic zone). */
  list: boolean;
  /** A dynamic zone: each item is one of several components and names it in `__component`. */
  union: boolean;
}

/** One Socket.IO event of the schema, read from `@socketEvent` on a Subscription field. */
export interface SocketEventSpec {
  /** `article:create` */
  event: string;
  /** The Subscription field whose return type describes the payload (`articleCreated`). */
  field: string;
  shape: PayloadShape;
  /** `{ documentId, locale }` of deletions and unpublications: no numeric id, no relations. */
  reference: boolean;
  populated: PopulatedField[];
}

const isLeafField = (field: GraphQLField<unknown, unknown>) => {
  const named = getNamedType(field.type);
  return isScalarType(named) || isEnumType(named);
};

const shapeOf = (type: GraphQLObjectType): PayloadShape => ({
  typeName: type.name,
  // The numeric database id replaces GraphQL's `id: ID!` (components): Socket.IO sends the raw number.
  scalars: Object.values(type.getFields())
    .filter((field) => isLeafField(field) && field.name !== 'id')
    .map((field) => field.name),
});

const populatedField = (type: GraphQLObjectType, name: string): PopulatedField => {
  const field = type.getFields()[name];
  if (!field) return { name, targets: null, list: false, union: false };
  const list = isListType(getNullableType(field.type));
  const named = getNamedType(field.type);
  if (isObjectType(named)) return { name, targets: [shapeOf(named)], list, union: false };
  if (isUnionType(named)) return { name, targets: named.getTypes().map(shapeOf), list, union: true };
  // A scalar named in `populate` (not a relation): it is already among the scalar fields.
  return { name, targets: [], list, union: false };
};

/**
 * The Socket.IO events of a realtime schema in field order, from the `@socketEvent(name, populate)` directive
 * the plugin prints on Subscription fields. Fields without it (`articleDraftDiscarded`) have no Socket.IO event.
 */
export const readSocketEvents = (schema: GraphQLSchema): SocketEventSpec[] => {
  const subscription = schema.getSubscriptionType();
  if (!subscription) return [];
  const specs: SocketEventSpec[] = [];
  for (const field of Object.values(subscription.getFields())) {
    const [directive] = getDirective(schema, field, SOCKET_EVENT_DIRECTIVE.name) ?? [];
    if (!directive) continue;
    const type = getNamedType(field.type);
    if (!isObjectType(type)) throw new Error(`@${SOCKET_EVENT_DIRECTIVE.name} on Subscription.${field.name}: its type ${type.name} is not an object type`);
    const reference = type.name === DOCUMENT_REFERENCE_TYPE;
    const populate = (directive.populate as string[] | undefined) ?? [];
    specs.push({
      event: String(directive.name),
      field: field.name,
      shape: shapeOf(type),
      reference,
      populated: reference ? [] : populate.map((name) => populatedField(type, name)).filter((p) => p.targets === null || p.targets.length > 0),
    });
  }
  return specs;
};
