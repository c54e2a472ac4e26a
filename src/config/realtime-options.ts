/**
 * Every option of the plugin, once: its reader, default, documentation and environment variable. Validation
 * (normalize.ts), defaults, the internal `RealtimeConfig` type, the exported `RealtimePluginConfig` input type
 * (realtime-plugin-config.ts) and the README's configuration reference all come from here.
 *
 * Adding an option: add an `option({ type, default, doc })` in its section below (a new section is a `section()`),
 * then `npm run generate:config` (`npm test` fails until the generated type and README table match).
 */
import type { ServerOptions } from 'socket.io';
import { ConfigError } from './config-error';
import { contentTypesValue, CONTENT_TYPE_FIELDS } from './content-types-option';
import { option, section, variants, type ReadContext } from './option-schema';
import {
  bearerToken,
  booleanValue,
  count,
  fieldName,
  functionValue,
  ipRule,
  listOf,
  mergedObject,
  objectValue,
  orNull,
  orUndefined,
  positiveInteger,
  redisUrl,
  stringValue,
  urlPath,
  valueType,
} from './value-types';

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
/** A bearer token shorter than this is refused: it would be guessable. */
export const MIN_METRICS_TOKEN_LENGTH = 16;

/** Handler of a Socket.IO event, plugin-io style: `handler({ strapi, io }, socket, ...args)`. */
export interface SocketEventConfig {
  name: string;
  // The context and socket types live in the transport (SocketEventDefinition); config only checks a function is there.
  handler: (...args: any[]) => unknown;
}

/** Config adds to the defaults (never replaces them), lower-cased because matching ignores case. */
const fieldNames = listOf(fieldName, 'an array of field names');
const sensitiveFieldsValue = valueType<string[]>('string[]', fieldNames.expected, (value, key, context) => {
  const extra = fieldNames.read(value, key, context);
  return [...new Set([...DEFAULT_SENSITIVE_FIELDS.map((field) => field.toLowerCase()), ...extra.map((field) => field.toLowerCase())])];
});

const socketEvent = objectValue<SocketEventConfig>('SocketEventDefinition', '{ name, handler }', { name: stringValue('a non-empty event name'), handler: functionValue('SocketEventHandler') }, ['name', 'handler']);

const socketHooks = objectValue<{ init?: (context: any) => unknown }>('SocketIOHooks', '{ init }', { init: functionValue('(context) => unknown') });

const METRICS_TOKEN = bearerToken(MIN_METRICS_TOKEN_LENGTH);
const IP_RULES = 'an array of IP addresses or CIDR blocks';

export const REALTIME_OPTIONS = {
  contentTypes: option({
    type: contentTypesValue,
    default: 'all-api' as const,
    defaultDoc: "`'all-api'`: every `api::` content type, every action",
    doc: "Which content types emit which actions: `'all-api'`, a list of uids and `{ uid, actions, populate, eventPrefix }` (plugin-io v5), or a `{ singularName: actions }` map / `'*'` (strapi-plugin-io v4). An unknown uid stops the boot.",
    items: { typeName: 'RealtimeContentTypeConfig', fields: CONTENT_TYPE_FIELDS },
  }),
  sensitiveFields: option({
    type: sensitiveFieldsValue,
    default: DEFAULT_SENSITIVE_FIELDS.map((field) => field.toLowerCase()),
    defaultDoc: DEFAULT_SENSITIVE_FIELDS.map((field) => `\`${field}\``).join(', '),
    doc: 'More field names never sent, at any depth (exact key, any case), after Strapi\'s sanitizer. They are added to the defaults, which cannot be removed.',
  }),
  drafts: option({
    type: booleanValue,
    default: true,
    doc: 'Allow `status: DRAFT` subscriptions, to principals that may read the content type (as over REST). `false` refuses them.',
  }),
  graphql: section({
    doc: 'GraphQL subscriptions over graphql-ws (WebSocket) and SSE. `false` turns them off.',
    enabledShorthand: true,
    fields: {
      enabled: option({ type: booleanValue, default: true, doc: 'Serve GraphQL subscriptions.' }),
      path: option({ type: urlPath, default: '/graphql', doc: "WebSocket path of graphql-ws (the same path as @strapi/plugin-graphql's HTTP endpoint by default)." }),
      ssePath: option({ type: urlPath, default: '/graphql/stream', doc: 'HTTP path of GraphQL over SSE, also serving GraphiQL when it is on.' }),
      sdlPath: option({ type: urlPath, default: '/graphql/schema.graphql', doc: 'HTTP path serving the subscription schema as SDL (for codegen).' }),
      graphiql: option({
        type: booleanValue,
        default: (env) => env.NODE_ENV !== 'production',
        defaultDoc: '`true`; `false` when `NODE_ENV=production`',
        doc: 'Serve GraphiQL on the SSE path (a development tool: production apps opt in).',
      }),
      introspection: option({
        type: orUndefined(booleanValue),
        default: undefined,
        defaultDoc: "what `@strapi/plugin-graphql`'s `apolloServer.introspection` says, else `false` when `NODE_ENV=production`",
        doc: 'Whether clients may introspect the schema (graphql-ws, SSE) and fetch the SDL without `sdlToken`.',
      }),
      sdlToken: option({
        type: orNull(stringValue()),
        default: (env) => env.REALTIME_SDL_TOKEN || null,
        defaultDoc: 'none',
        env: 'REALTIME_SDL_TOKEN',
        secret: true,
        doc: 'Bearer token that unlocks the SDL endpoint while introspection is off (codegen against production).',
      }),
      maxDepth: option({ type: positiveInteger, default: 10, doc: 'Field nesting of an operation (fragments expanded); deeper operations are refused.' }),
      maxTokens: option({ type: positiveInteger, default: 2000, doc: 'Lexical tokens a document may have: parsing stops there.' }),
      maxFields: option({ type: positiveInteger, default: 250, doc: 'Fields an operation selects (fragments expanded), and field nodes written in a document.' }),
      maxAliases: option({ type: count, default: 30, doc: 'Aliased fields in a document.' }),
      maxInputDepth: option({ type: positiveInteger, default: 16, doc: 'Nesting of object and list inputs (filters), in the document or in variables.' }),
      maxFilterSize: option({ type: positiveInteger, default: 1000, doc: "Keys and list items in a subscription's `filters` (after variables are applied)." }),
      maxSubscriptionsPerConnection: option({ type: positiveInteger, default: 100, doc: 'Operations one WebSocket may have; more are refused with an error.' }),
      maxMessageBytes: option({ type: positiveInteger, default: 64 * 1024, doc: 'Largest incoming WebSocket message and GraphQL document, in bytes; a larger message closes the socket (1009).' }),
      sseReservationTimeoutMs: option({ type: positiveInteger, default: 10_000, doc: 'SSE single connection mode: a reservation (PUT) not opened (GET) within this time is dropped with its operations.' }),
      connectionInitTimeoutMs: option({ type: positiveInteger, default: 10_000, doc: 'Time a WebSocket has to send `connection_init` (then 4408).' }),
      keepAliveMs: option({ type: count, default: 12_000, doc: 'Interval of server pings that detect dead peers; `0` turns them off.' }),
      maxBufferedBytes: option({ type: positiveInteger, default: 4 * 1024 * 1024, doc: 'Outgoing bytes buffered for one slow socket before it is closed (1013) instead of growing memory.' }),
    },
  }),
  socket: section({
    doc: 'The Socket.IO transport (plugin-io compatible). `false` turns it off.',
    enabledShorthand: true,
    fields: {
      enabled: option({ type: booleanValue, default: true, doc: 'Serve Socket.IO.' }),
      serverOptions: option({
        type: mergedObject<Partial<ServerOptions>>('Partial<ServerOptions>', { path: '/socket.io' }),
        default: { path: '/socket.io' },
        defaultDoc: "`{ path: '/socket.io' }`, `cors` from `strapi::cors`",
        doc: "Passed to `new Server()` (cors, transports, pingTimeout, ...), merged over the default. Without `cors` here Socket.IO follows the app's `strapi::cors` middleware; a `cors` given here replaces it.",
        topLevelAlias: 'IOServerOptions',
      }),
      publicRoleName: option({ type: stringValue(), default: 'Public', doc: 'Room joined by unauthenticated sockets.', topLevelAlias: 'publicRoleName' }),
      events: option({
        type: listOf(socketEvent, 'an array of { name, handler }'),
        default: [],
        doc: 'Socket.IO event handlers, `[{ name, handler({ strapi, io }, socket, ...args) }]`, `connection` and `disconnect` included.',
        topLevelAlias: 'events',
      }),
      hooks: option({
        type: socketHooks,
        default: {},
        doc: '`init({ strapi, io, $io })`, awaited before any client is admitted (attach `@socket.io/redis-adapter` here).',
        topLevelAlias: 'hooks',
      }),
      rateLimit: section({
        doc: 'Client-emitted events per socket; over the limit an event is dropped with an error, a socket that keeps flooding is disconnected.',
        fields: {
          points: option({ type: positiveInteger, default: 30, doc: 'Events allowed per window and socket.' }),
          windowMs: option({ type: positiveInteger, default: 1000, doc: 'The window, in milliseconds.' }),
        },
      }),
      maxEntitySubscriptions: option({ type: positiveInteger, default: 100, doc: 'Entity subscriptions (`subscribe-entity`) per socket.' }),
      maxPayloadBytes: option({ type: positiveInteger, default: 1_000_000, doc: "Largest client packet, in bytes (engine.io's `maxHttpBufferSize` unless `serverOptions` sets it); larger ones close that client." }),
      ipAllowList: option({ type: listOf(ipRule, IP_RULES), default: [], doc: 'When not empty, only these IPs or CIDR ranges may connect.' }),
      ipDenyList: option({ type: listOf(ipRule, IP_RULES), default: [], doc: 'IPs or CIDR ranges refused (the address comes from `X-Forwarded-For` only when Strapi\'s `server.proxy` is on).' }),
      maxBufferedBytes: option({ type: positiveInteger, default: 4 * 1024 * 1024, doc: 'Outgoing bytes buffered for one slow socket before it is disconnected instead of growing memory.' }),
    },
  }),
  bus: variants({
    doc: "Where the event log lives: `'memory'` (one node) or `{ kind: 'redis', url }`, a Redis Stream shared by several Strapi nodes.",
    default: 'memory',
    expected: '"memory", { kind: "memory" } or { kind: "redis", url: "redis://…", stream?, bufferSize? }',
    variants: {
      memory: {},
      redis: {
        url: option({
          type: redisUrl,
          doc: 'Redis server of the event stream (`redis://` or `rediss://` for TLS, ACL credentials in it; they are masked wherever the config is shown). Redis 6.2+; use one that persists (AOF).',
        }),
        stream: option({ type: stringValue(), default: DEFAULT_REDIS_STREAM, doc: 'Key of the Redis Stream every node appends to and reads (`<stream>:epoch` names its life).' }),
        bufferSize: option({
          type: positiveInteger,
          default: 10_000,
          doc: 'Events a node keeps while Redis is unreachable, appended when it is back; past it, newer events are dropped and every subscriber gets a gap signal.',
        }),
      },
    },
  }),
  replay: section({
    doc: 'How far back a reconnecting client is brought up to date: the event log keeps this much. `false` turns replay off (every resume is a gap).',
    enabledShorthand: true,
    fields: {
      enabled: option({ type: booleanValue, default: true, doc: 'Keep events for clients that reconnect (cursors, resume, Socket.IO connection state recovery).' }),
      maxEvents: option({ type: count, default: 1000, doc: 'Events the log keeps (about 2-5 MB of memory per 1,000 typical entries on one node; the stream length with Redis).' }),
      maxAgeMs: option({ type: positiveInteger, default: 120_000, doc: "Oldest event a client may resume after (also Socket.IO's `maxDisconnectionDuration`)." }),
    },
    // Off is a window of nothing: every part reads `maxEvents`.
    finish: (replay) => (replay.enabled ? replay : { ...replay, maxEvents: 0 }),
  }),
  delivery: section({
    doc: 'How fan-out shares the event loop with the CMS, and what it may hold when clients or the server fall behind.',
    fields: {
      sliceMs: option({
        type: positiveInteger,
        default: 10,
        doc: 'Longest stretch of fan-out work before it yields to pending I/O (REST requests); what a slice writes to a socket leaves in one write.',
      }),
      maxBufferedBytes: option({
        type: positiveInteger,
        default: 256 * 1024 * 1024,
        doc: 'Outgoing bytes buffered for all sockets together; over it, the sockets holding the most are closed as slow (1013 / disconnect) until it fits.',
      }),
      maxPendingEvents: option({
        type: positiveInteger,
        default: 10_000,
        doc: 'Events waiting for fan-out per transport; past it the oldest are skipped and subscribers get a gap signal (`overloaded`).',
      }),
    },
  }),
  limits: section({
    doc: 'Live connections on every transport together (graphql-ws sockets, SSE streams and reservations, Socket.IO sockets).',
    fields: {
      maxConnections: option({ type: positiveInteger, default: 20_000, doc: 'In all; over it: HTTP 503 on upgrade and SSE, `connect_error` TOO_MANY_CONNECTIONS on Socket.IO.' }),
      maxConnectionsPerAddress: option({ type: positiveInteger, default: 1_000, doc: "From one client address (see Strapi's `server.proxy` behind a proxy); over it: HTTP 429 or `connect_error`." }),
    },
  }),
  eventLogSize: option({ type: count, default: 1000, doc: 'Entries kept in the monitoring event log; `0` keeps none.' }),
  metrics: section({
    doc: 'The Prometheus endpoint (text exposition format). `true` is `{ enabled: true }`.',
    enabledShorthand: true,
    fields: {
      enabled: option({ type: booleanValue, default: false, doc: 'Serve Prometheus metrics (needs a token).' }),
      path: option({ type: urlPath, default: '/realtime/metrics', doc: 'Path of the endpoint.' }),
      token: option({
        type: orNull(METRICS_TOKEN),
        default: null,
        defaultDoc: 'none',
        env: 'REALTIME_METRICS_TOKEN',
        secret: true,
        doc: `Bearer token scrapers send (${MIN_METRICS_TOKEN_LENGTH}+ characters, no spaces); required when enabled, never printed.`,
      }),
      defaultMetrics: option({ type: booleanValue, default: true, doc: "Include prom-client's process and Node.js metrics (CPU, memory, event loop lag, GC)." }),
    },
    finish(metrics, key, context: ReadContext) {
      // The environment's token is read only when metrics are on, and never printed when wrong.
      const fromEnv = context.env.REALTIME_METRICS_TOKEN;
      let token = metrics.token;
      if (metrics.enabled && token === null && fromEnv) token = METRICS_TOKEN.read(fromEnv, 'REALTIME_METRICS_TOKEN (environment)', context);
      if (metrics.enabled && token === null) {
        throw new ConfigError(`${key}.token`, `${METRICS_TOKEN.expected} when metrics are enabled (or the REALTIME_METRICS_TOKEN environment variable)`, undefined);
      }
      return { ...metrics, token: metrics.enabled ? token : null };
    },
  }),
};

/** Types the generated input type imports for options that take user code or library options. */
export const INPUT_TYPE_IMPORTS = [
  "import type { ServerOptions } from 'socket.io';",
  "import type { SocketEventDefinition, SocketIOHooks } from '../transports/socket-io/types';",
];
