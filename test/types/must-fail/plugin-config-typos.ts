/** Must NOT compile: what the config validator would refuse at boot, refused by the type first. */
import type { RealtimePluginConfig } from '../../../src/index';

export const typo = { contentType: ['api::article.article'] } satisfies RealtimePluginConfig; // expect-error TS2561
export const wrongType = { graphql: { maxDepth: '10' } } satisfies RealtimePluginConfig; // expect-error TS2322
export const unknownAction = { contentTypes: [{ uid: 'api::a.a', actions: ['destroy'] }] } satisfies RealtimePluginConfig; // expect-error TS2322
export const redisWithoutUrl = { bus: { kind: 'redis' } } satisfies RealtimePluginConfig; // expect-error TS2322
export const entryWithoutUid = { contentTypes: [{ actions: ['create'] }] } satisfies RealtimePluginConfig; // expect-error TS2322
