/**
 * A @graphql-codegen plugin that writes the typed Socket.IO event map of a realtime schema. Use it next to the
 * client preset, whose `graphql.ts` provides the types the payloads are built from:
 *
 *   generates: {
 *     'src/gql/': { preset: 'client' },
 *     'src/gql/socket-events.ts': {
 *       plugins: ['strapi-plugin-realtime/codegen/socket-events'],
 *       config: { typesImport: './graphql' },
 *     },
 *   }
 */
import { extname } from 'node:path';
import type { PluginFunction, PluginValidateFn } from '@graphql-codegen/plugin-helpers';
import { printSocketEvents } from './print-socket-events';
import { readSocketEvents } from './socket-event-specs';

export interface SocketEventsPluginConfig {
  /**
   * The module (relative to the output file) that exports the schema's TypeScript types, `Subscription`
   * among them. Default `./graphql`: the client preset's output in the same directory.
   */
  typesImport?: string;
}

export const plugin: PluginFunction<SocketEventsPluginConfig> = (schema, _documents, config) =>
  printSocketEvents(readSocketEvents(schema), { typesImport: config.typesImport ?? './graphql' });

export const validate: PluginValidateFn<SocketEventsPluginConfig> = (schema, _documents, config, outputFile) => {
  if (extname(outputFile) !== '.ts') throw new Error(`strapi-plugin-realtime/codegen/socket-events writes TypeScript: "${outputFile}" must end with .ts`);
  if (config.typesImport !== undefined && typeof config.typesImport !== 'string') throw new Error('socket-events: `typesImport` must be a string');
  if (!schema.getSubscriptionType()) throw new Error('socket-events: the schema has no Subscription type (is it the realtime schema?)');
};
