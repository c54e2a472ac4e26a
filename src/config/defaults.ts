import type { GraphqlTransportConfig, MetricsConfig, RealtimeConfig, SocketTransportConfig } from './types';

/**
 * Field names never emitted, whatever the sanitizer let through (plugin-io's list, extended). Compared
 * lower-case; config `sensitiveFields` adds to these, it cannot remove them.
 */
export const DEFAULT_SENSITIVE_FIELDS: readonly string[] = [
  'password',
  'salt',
  'hash',
  'resetPasswordToken',
  'confirmationToken',
  'refreshToken',
  'accessToken',
  'token',
  'secret',
  'apiKey',
  'api_key',
  'privateKey',
  'private_key',
];

export const DEFAULT_REDIS_STREAM = 'strapi-realtime:events';
export const DEFAULT_REDIS_BUFFER_SIZE = 10_000;

/** The environment variables the config reads (`REALTIME_METRICS_TOKEN`, `REALTIME_SDL_TOKEN` when config does not set them). */
export type ConfigEnv = { NODE_ENV?: string; REALTIME_METRICS_TOKEN?: string; REALTIME_SDL_TOKEN?: string };

export const DEFAULT_METRICS_PATH = '/realtime/metrics';
/** A bearer token shorter than this is refused: it would be guessable. */
export const MIN_METRICS_TOKEN_LENGTH = 16;

export const defaultMetricsConfig = (): MetricsConfig => ({
  enabled: false,
  path: DEFAULT_METRICS_PATH,
  token: null,
  defaultMetrics: true,
});

export const defaultGraphqlConfig = (env: ConfigEnv): GraphqlTransportConfig => ({
  enabled: true,
  path: '/graphql',
  ssePath: '/graphql/stream',
  sdlPath: '/graphql/schema.graphql',
  // GraphiQL is a development tool; production apps opt in explicitly.
  graphiql: env.NODE_ENV !== 'production',
  introspection: undefined,
  sdlToken: null,
  maxDepth: 10,
  maxTokens: 2000,
  maxFields: 250,
  maxAliases: 30,
  maxInputDepth: 16,
  maxFilterSize: 1000,
  maxSubscriptionsPerConnection: 100,
  maxMessageBytes: 64 * 1024,
  sseReservationTimeoutMs: 10_000,
  connectionInitTimeoutMs: 10_000,
  keepAliveMs: 12_000,
  maxBufferedBytes: 4 * 1024 * 1024,
});

export const defaultSocketConfig = (): SocketTransportConfig => ({
  enabled: true,
  // No `cors` here: without an explicit `serverOptions.cors`, Socket.IO follows the app's `strapi::cors`
  // middleware (read at bootstrap), so one place configures CORS for REST, GraphQL and Socket.IO.
  serverOptions: { path: '/socket.io' },
  publicRoleName: 'Public',
  events: [],
  hooks: {},
  rateLimit: { points: 30, windowMs: 1000 },
  maxEntitySubscriptions: 100,
  maxPayloadBytes: 1_000_000,
  ipAllowList: [],
  ipDenyList: [],
});

/** A fresh default config (no shared mutable arrays/objects between calls). */
export const defaultConfig = (env: ConfigEnv = {}): RealtimeConfig => ({
  contentTypes: 'all-api',
  sensitiveFields: DEFAULT_SENSITIVE_FIELDS.map((field) => field.toLowerCase()),
  drafts: true,
  graphql: defaultGraphqlConfig(env),
  socket: defaultSocketConfig(),
  bus: { kind: 'memory' },
  replay: { maxEvents: 1000, maxAgeMs: 120_000 },
  limits: { maxConnections: 20_000, maxConnectionsPerAddress: 1_000 },
  eventLogSize: 1000,
  metrics: defaultMetricsConfig(),
});
