import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/** Literal values of JSON arguments (filters on `metadata`), turned into plain JS values. */
const parseJsonLiteral = (ast: ValueNode, variables?: Record<string, unknown> | null): unknown => {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((field) => [field.name.value, parseJsonLiteral(field.value, variables)]));
    case Kind.LIST:
      return ast.values.map((value) => parseJsonLiteral(value, variables));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    default:
      return null;
  }
};

const stringLike = (name: string, description: string) =>
  new GraphQLScalarType({
    name,
    description,
    serialize: (value) => (value instanceof Date ? value.toISOString() : String(value)),
    parseValue: (value) => {
      if (typeof value !== 'string') throw new TypeError(`${name} expects a string`);
      return value;
    },
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING) throw new TypeError(`${name} expects a string`);
      return ast.value;
    },
  });

/** Same names and meaning as @strapi/plugin-graphql's scalars, so fragments and codegen types line up. */
export const SCALARS = {
  JSON: new GraphQLScalarType({
    name: 'JSON',
    description:
      'The `JSON` scalar type represents JSON values as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf).',
    specifiedByURL: 'http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf',
    serialize: (value) => value,
    parseValue: (value) => value,
    parseLiteral: parseJsonLiteral,
  }),
  DateTime: stringLike(
    'DateTime',
    'A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar.',
  ),
  Date: stringLike('Date', 'A date string, such as 2007-12-03, compliant with the `full-date` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar.'),
  Time: stringLike('Time', 'A time string with format HH:mm:ss.SSS'),
  Long: new GraphQLScalarType({
    name: 'Long',
    description: 'The `BigInt` scalar type represents non-fractional signed whole numeric values.',
    serialize: (value) => (typeof value === 'bigint' ? value.toString() : value),
    parseValue: (value) => value,
    parseLiteral: (ast) => (ast.kind === Kind.INT || ast.kind === Kind.STRING ? ast.value : null),
  }),
  I18NLocaleCode: stringLike('I18NLocaleCode', 'A string used to identify an i18n locale'),
};
