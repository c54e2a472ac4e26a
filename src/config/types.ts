/**
 * The one internal shape of the plugin's configuration. Every accepted input shape (our own, plugin-io v5,
 * strapi-plugin-io v4) is normalized into this by `normalizeConfig`, so the rest of the code never looks at
 * raw user config.
 */
import type { ServerOptions } from 'socket.io';

/** What happened to a document. The Socket.IO wire uses plugin-io's verbs instead (see `SocketAction`). */
export type ChangeAction = 'created' | 'updated' | 'deleted' | 'published' | 'unpublished' | 'draftDiscarded';
export const CHANGE_ACTIONS: readonly ChangeAction[] = [
  'created',
  'updated',
  'deleted',
  'published',
  'unpublished',
  'draftDiscarded',
];

/** plugin-io's action verbs, used in config `actions` lists and Socket.IO event names (`article:create`). */
export type SocketAction = 'create' | 'update' | 'delete' | 'publish' | 'unpublish';
export const SOCKET_ACTIONS: readonly SocketAction[] = ['create', 'update', 'delete', 'publish', 'unpublish'];

/** Strapi populate, as plugin-io accepts it: `'*'`/`true`, a list of relation names, or the object syntax. */
export type PopulateConfig = '*' | true | string[] | { [field: string]: unknown };

/** One content type the config enables, before its uid is checked against the running app. */
export interface ContentTypeSelection {
  /** A content-type uid (`api::article.article`), or a v4 singular name (`article`) resolved at register. */
  uid: string;
  /** Actions that emit, on every transport. */
  actions: ChangeAction[];
  /** Relations (and media/components) included in emitted entries; `undefined` = none, like plugin-io. */
  populate: PopulateConfig | undefined;
  /** Socket.IO event name prefix; `undefined` = the content type's singular name. */
  eventPrefix: string | undefined;
}

/** Handler of a Socket.IO event, plugin-io style: `handler({ strapi, io }, socket, ...args)`. */
export interface SocketEventConfig {
  name: string;
  // The context and socket types live in the transport; config only checks that a function is there.
  handler: (...args: any[]) => unknown;
}

export interface RateLimitConfig {
  /** Client-emitted events allowed per window and socket. */
  points: number;
  windowMs: number;
}

export interface GraphqlTransportConfig {
  enabled: boolean;
  /** WebSocket path of graphql-ws (shared with @strapi/plugin-graphql's HTTP endpoint by default). */
  path: string;
  /** HTTP path of GraphQL over SSE (graphql-yoga), also serving GraphiQL in development. */
  ssePath: string;
  /** HTTP path serving the subscription schema as SDL. */
  sdlPath: string;
  graphiql: boolean;
  /**
   * Whether clients may introspect the schema (graphql-ws, SSE) and fetch the SDL without `sdlToken`. `undefined`:
   * follow @strapi/plugin-graphql (its `apolloServer.introspection`, else off when NODE_ENV is production).
   */
  introspection: boolean | undefined;
  /** Bearer token that unlocks the SDL endpoint when introspection is off (codegen in production); `null` = none. */
  sdlToken: string | null;
  /** Field nesting of an operation (fragments expanded). */
  maxDepth: number;
  /** Lexical tokens a document may have: parsing stops there. */
  maxTokens: number;
  /** Fields an operation selects (fragments expanded), and field nodes written in a document. */
  maxFields: number;
  /** Aliased fields in a document. */
  maxAliases: number;
  /** Nesting of object and list inputs (filters), in the document or in variables. */
  maxInputDepth: number;
  /** Keys and list items in a subscription's `filters` (after variables are applied). */
  maxFilterSize: number;
  maxSubscriptionsPerConnection: number;
  /** Largest accepted incoming WebSocket message and GraphQL document; larger messages close the socket with 1009. */
  maxMessageBytes: number;
  /** SSE single connection mode: a reservation (PUT) not opened (GET) within this time is dropped with its operations. */
  sseReservationTimeoutMs: number;
  connectionInitTimeoutMs: number;
  /** Server pings to detect dead peers; 0 disables. */
  keepAliveMs: number;
  /** Outgoing bytes buffered for one slow socket before it is closed instead of growing memory. */
  maxBufferedBytes: number;
}

export interface SocketTransportConfig {
  enabled: boolean;
  /** Passed to `new Server(httpServer, serverOptions)` (cors, path, pingTimeout, transports, ...). */
  serverOptions: Partial<ServerOptions>;
  /** Room joined by unauthenticated sockets (plugin-io: `publicRoleName`). */
  publicRoleName: string;
  events: SocketEventConfig[];
  hooks: { init?: (context: any) => unknown };
  rateLimit: RateLimitConfig;
  maxEntitySubscriptions: number;
  /** Largest accepted client packet (engine.io `maxHttpBufferSize` unless serverOptions sets it). */
  maxPayloadBytes: number;
  ipAllowList: string[];
  ipDenyList: string[];
}

/** The Prometheus endpoint (`GET metrics.path`, text exposition format). */
export interface MetricsConfig {
  /** Off by default: an operator turns it on together with a token. */
  enabled: boolean;
  path: string;
  /**
   * The bearer token scrapers send (`Authorization: Bearer <token>`): config `metrics.token`, else the
   * `REALTIME_METRICS_TOKEN` environment variable. Always set when `enabled`; `null` only while disabled.
   */
  token: string | null;
  /** prom-client's default Node.js process metrics (CPU, memory, event loop lag, GC, handles). */
  defaultMetrics: boolean;
}

export type BusConfig =
  | { kind: 'memory' }
  | {
      kind: 'redis';
      /** `redis://` or `rediss://` (TLS), with ACL credentials in the URL if needed. */
      url: string;
      /** The Redis Stream every node appends to and reads (the v1 `channel` option names it too). */
      stream: string;
      /** Appends kept while Redis is unreachable; past it newer events are dropped and clients get a gap. */
      bufferSize: number;
    };

/** How far back a reconnecting client is brought up to date (the event log keeps this much). */
export interface ReplayConfig {
  /** Events kept; 0 turns replay off (every resume is a gap). */
  maxEvents: number;
  /** Oldest event a client may resume after. */
  maxAgeMs: number;
}

/** Live connections on every transport together (graphql-ws sockets, SSE streams and reservations, Socket.IO sockets). */
export interface ConnectionLimitsConfig {
  /** In all; over it: HTTP 503 on upgrade/SSE, `connect_error` TOO_MANY_CONNECTIONS on Socket.IO. */
  maxConnections: number;
  /** From one client address (see Strapi's `server.proxy` for addresses behind a proxy); over it: HTTP 429 / `connect_error`. */
  maxConnectionsPerAddress: number;
}

export interface RealtimeConfig {
  /** `'all-api'` = every `api::` content type with all actions (the default). */
  contentTypes: 'all-api' | ContentTypeSelection[];
  /** Blocklist applied after Strapi's sanitizer: defaults plus config `sensitiveFields`, lower-cased. */
  sensitiveFields: string[];
  /** Whether anyone may subscribe to draft versions (still only with read permission, as over REST). */
  drafts: boolean;
  graphql: GraphqlTransportConfig;
  socket: SocketTransportConfig;
  bus: BusConfig;
  replay: ReplayConfig;
  limits: ConnectionLimitsConfig;
  /** Entries kept in the monitoring event log. */
  eventLogSize: number;
  metrics: MetricsConfig;
}
