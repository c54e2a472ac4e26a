/**
 * The one internal shape of the plugin's configuration, derived from the options declared in realtime-options.ts.
 * Every accepted input shape (our own, plugin-io v5's, strapi-plugin-io v4's) is normalized into it by
 * `normalizeConfig`, so the rest of the code never looks at raw user config.
 */
import type { SectionConfig } from './option-schema';
import type { REALTIME_OPTIONS } from './realtime-options';

export * from './change-actions';
export type { ContentTypeSelection } from './content-types-option';
export type { SocketEventConfig } from './realtime-options';

export type RealtimeConfig = SectionConfig<typeof REALTIME_OPTIONS>;
export type GraphqlTransportConfig = RealtimeConfig['graphql'];
export type SocketTransportConfig = RealtimeConfig['socket'];
export type RateLimitConfig = SocketTransportConfig['rateLimit'];
export type BusConfig = RealtimeConfig['bus'];
export type ConnectionLimitsConfig = RealtimeConfig['limits'];
export type MetricsConfig = RealtimeConfig['metrics'];
