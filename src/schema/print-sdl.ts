import { printSchema, type GraphQLSchema } from 'graphql';

const HEADER = '# The realtime subscription schema of this Strapi app, printed by strapi-plugin-realtime. Do not edit:\n# regenerate it (`strapi-realtime schema`) or fetch it from the running app.\n\n';

/** Deterministic SDL: the schema is built in a fixed order (content types sorted by uid), nothing time-based. */
export const printRealtimeSdl = (schema: GraphQLSchema) => `${HEADER}${printSchema(schema)}\n`;
