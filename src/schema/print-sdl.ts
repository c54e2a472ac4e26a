import type { GraphQLSchema } from 'graphql';
import { printSchemaWithDirectives } from '@graphql-tools/utils';

const HEADER = '# The realtime subscription schema of this Strapi app, printed by strapi-plugin-realtime. Do not edit:\n# regenerate it (`strapi-realtime schema`) or fetch it from the running app.\n\n';

/**
 * Deterministic SDL: the schema is built in a fixed order (content types sorted by uid), nothing time-based.
 * Printed with applied directives, so `@socketEvent` reaches codegen.
 */
export const printRealtimeSdl = (schema: GraphQLSchema) => `${HEADER}${printSchemaWithDirectives(schema)}\n`;
