/**
 * Turns the user's plugin config (our shape, plugin-io v5's or strapi-plugin-io v4's) into one `RealtimeConfig`.
 * Pure: no Strapi access, so it runs in Strapi's config validator at boot and in unit tests. Every wrong input
 * throws a `ConfigError` naming the exact key; nothing is silently dropped except v4 read actions (a warning).
 */
import { isIP } from 'node:net';
import { ConfigError } from './config-error';
import { DEFAULT_REDIS_BUFFER_SIZE, DEFAULT_REDIS_STREAM, MIN_METRICS_TOKEN_LENGTH, defaultConfig, type ConfigEnv } from './defaults';
import type {
  BusConfig,
  ChangeAction,
  ConnectionLimitsConfig,
  ReplayConfig,
  ContentTypeSelection,
  GraphqlTransportConfig,
  MetricsConfig,
  PopulateConfig,
  RateLimitConfig,
  RealtimeConfig,
  SocketEventConfig,
  SocketTransportConfig,
} from './types';
import { CHANGE_ACTIONS } from './types';

export interface NormalizedConfig {
  config: RealtimeConfig;
  /** Accepted but ignored input (e.g. v4 `find` actions), worth a `strapi.log.warn` at register. */
  warnings: string[];
}

type Obj = Record<string, unknown>;
/** Checks one value found at `key` (a path like `socket.events[0]`) and returns it typed. */
type Reader<T> = (value: unknown, key: string) => T;

// ---------------------------------------------------------------------------------------------------------------
// Small readers: each checks one value at one key path and throws a ConfigError naming that path.

const isPlainObject = (value: unknown): value is Obj => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** `contentTypes` + 1 -> `contentTypes[1]`; `socket` + `events` -> `socket.events`; odd keys are quoted. */
const at = (path: string, key: string | number): string => {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (!/^[A-Za-z_$][\w$-]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path ? `${path}.${key}` : key;
};

const expectObject = (value: unknown, key: string, expected = 'an object'): Obj => {
  if (!isPlainObject(value)) throw new ConfigError(key, expected, value);
  return value;
};

/** Typos must not pass silently: any key outside `allowed` is an error at that key. */
const expectKnownKeys = (obj: Obj, path: string, allowed: readonly string[]) => {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    const guess = allowed.find((candidate) => isNearMiss(key, candidate));
    const hint = guess ? ` (did you mean "${guess}"?)` : '';
    throw new ConfigError(at(path, key), `one of the options ${allowed.join(', ')}${hint}`, obj[key]);
  }
};

/** Same letters ignoring case, or at most two edits apart: enough to catch `contentType`, `IOserverOptions`. */
const isNearMiss = (a: string, b: string): boolean => {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  if (x === y) return true;
  if (Math.abs(x.length - y.length) > 2) return false;
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length] <= 2;
};

const readString = (value: unknown, key: string, expected = 'a non-empty string'): string => {
  if (typeof value !== 'string' || value.trim() === '') throw new ConfigError(key, expected, value);
  return value;
};

const readBoolean = (value: unknown, key: string): boolean => {
  if (typeof value !== 'boolean') throw new ConfigError(key, 'true or false', value);
  return value;
};

const readFunction = <F>(value: unknown, key: string): F => {
  if (typeof value !== 'function') throw new ConfigError(key, 'a function', value);
  return value as F;
};

/** Limits, sizes and durations: finite integers, at least `min`. */
const readInteger = (value: unknown, key: string, min = 1): number => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new ConfigError(key, min === 0 ? 'a non-negative integer' : 'a positive integer', value);
  }
  return value;
};

/** Like `readInteger`, for values where 0 means "off" (`keepAliveMs`, `eventLogSize`). */
const readCount = (value: unknown, key: string): number => readInteger(value, key, 0);

const readFieldName = (value: unknown, key: string): string => readString(value, key, 'a field name');

const readList = <T>(value: unknown, key: string, readItem: Reader<T>): T[] => {
  if (!Array.isArray(value)) throw new ConfigError(key, 'an array', value);
  return value.map((item, index) => readItem(item, at(key, index)));
};

/** `value` if given, else `fallback`: keeps "optional with default" one line at each call site. */
const optional = <T>(value: unknown, key: string, read: Reader<T>, fallback: T): T =>
  value === undefined ? fallback : read(value, key);

/** Reads optional `section[name]` at key `path.name`, falling back to `defaults[name]`. */
const fieldReader =
  <D extends object>(section: Obj, path: string, defaults: D) =>
  <K extends keyof D & string>(name: K, read: Reader<D[K]>): D[K] =>
    optional(section[name], at(path, name), read, defaults[name]);

/** A boolean is shorthand for `{ enabled }` (`graphql: false`). */
const sectionObject = (value: unknown, key: string): Obj => {
  if (value === undefined) return {};
  if (typeof value === 'boolean') return { enabled: value };
  return expectObject(value, key, 'an object, true or false');
};

// ---------------------------------------------------------------------------------------------------------------
// contentTypes

const ALL_ACTIONS: readonly ChangeAction[] = CHANGE_ACTIONS;

/** plugin-io verbs, our event names and v4's `createOrUpdate`, all mapped to ChangeActions. */
const ACTION_NAMES = new Map<string, readonly ChangeAction[]>([
  ['create', ['created']],
  ['update', ['updated']],
  ['delete', ['deleted']],
  ['publish', ['published']],
  ['unpublish', ['unpublished']],
  ['createOrUpdate', ['created', 'updated']],
  ['*', ALL_ACTIONS],
  ...CHANGE_ACTIONS.map((action): [string, readonly ChangeAction[]] => [action, [action]]),
]);
/** strapi-plugin-io v4 emitted on reads; reads are not changes, so these are accepted and ignored. */
const READ_ACTIONS = new Set(['find', 'findOne']);
const ACTIONS_EXPECTED =
  'one of create, update, delete, publish, unpublish (or createOrUpdate, "*", ' + `${CHANGE_ACTIONS.join(', ')})`;

const readAction = (value: unknown, key: string, warnings: string[]): readonly ChangeAction[] => {
  if (typeof value === 'string' && READ_ACTIONS.has(value)) {
    warnings.push(`[realtime] config "${key}": "${value}" is a read, not a change; no event is emitted for it.`);
    return [];
  }
  const actions = typeof value === 'string' ? ACTION_NAMES.get(value) : undefined;
  if (!actions) throw new ConfigError(key, ACTIONS_EXPECTED, value);
  return actions;
};

const readActions = (value: unknown, key: string, warnings: string[]): ChangeAction[] => {
  if (value === '*') return [...ALL_ACTIONS];
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError(
      key,
      '"*" or a non-empty list of actions (create, update, delete, publish, unpublish)',
      value,
    );
  }
  const chosen = new Set(readList(value, key, (item, itemKey) => readAction(item, itemKey, warnings)).flat());
  return ALL_ACTIONS.filter((action) => chosen.has(action));
};

const readPopulate = (value: unknown, key: string): PopulateConfig | undefined => {
  if (value === undefined || value === false) return undefined;
  if (value === '*' || value === true) return value;
  if (Array.isArray(value)) return readList(value, key, readFieldName);
  if (isPlainObject(value)) {
    for (const [field, nested] of Object.entries(value)) {
      if (typeof nested !== 'boolean' && nested !== '*' && !isPlainObject(nested)) {
        throw new ConfigError(at(key, field), 'true, false, "*" or a populate object', nested);
      }
    }
    return value;
  }
  throw new ConfigError(key, '"*", true, a list of field names or a Strapi populate object', value);
};

const readEventPrefix = (value: unknown, key: string): string => {
  const expected = 'a non-empty string without ":"';
  const prefix = readString(value, key, expected);
  if (prefix.includes(':')) throw new ConfigError(key, expected, value);
  return prefix;
};

/** A uid (`api::article.article`) or a v4 singular name; checked against the app at register. */
const readUid = (value: unknown, key: string, expected: string): string => {
  if (typeof value !== 'string' || !/^\S+$/.test(value)) throw new ConfigError(key, expected, value);
  return value;
};

const SELECTION_KEYS = ['uid', 'actions', 'populate', 'eventPrefix'] as const;
const SELECTION_EXPECTED =
  'a content-type uid (e.g. "api::article.article") or { uid, actions, populate, eventPrefix }';

const readSelection = (entry: unknown, key: string, warnings: string[]): ContentTypeSelection => {
  if (typeof entry === 'string') {
    return {
      uid: readUid(entry, key, SELECTION_EXPECTED),
      actions: [...ALL_ACTIONS],
      populate: undefined,
      eventPrefix: undefined,
    };
  }
  const obj = expectObject(entry, key, SELECTION_EXPECTED);
  expectKnownKeys(obj, key, SELECTION_KEYS);
  return {
    uid: readUid(obj.uid, at(key, 'uid'), 'a content-type uid (e.g. "api::article.article")'),
    actions: optional(obj.actions, at(key, 'actions'), (v, k) => readActions(v, k, warnings), [...ALL_ACTIONS]),
    populate: readPopulate(obj.populate, at(key, 'populate')),
    eventPrefix: optional(obj.eventPrefix, at(key, 'eventPrefix'), readEventPrefix, undefined),
  };
};

/** plugin-io v5: `['api::article.article', { uid, actions, populate, eventPrefix }]`. */
const readSelectionList = (list: unknown[], warnings: string[]): ContentTypeSelection[] => {
  const firstIndex = new Map<string, number>();
  return list.map((entry, index) => {
    const key = at('contentTypes', index);
    const selection = readSelection(entry, key, warnings);
    // Merging two entries would have to pick one populate/eventPrefix silently: make the user pick.
    const previous = firstIndex.get(selection.uid);
    if (previous !== undefined) {
      throw new ConfigError(key, `each content type once (already listed at contentTypes[${previous}])`, selection.uid);
    }
    firstIndex.set(selection.uid, index);
    return selection;
  });
};

/** strapi-plugin-io v4: `{ article: '*', chat: ['create'] }`, keyed by singular name (resolved at register). */
const readV4Map = (map: Obj, warnings: string[]): ContentTypeSelection[] =>
  Object.entries(map).map(([name, actions]) => {
    const key = at('contentTypes', name);
    return {
      uid: readUid(name, key, 'a singular name (e.g. "article") as key'),
      actions: readActions(actions, key, warnings),
      populate: undefined,
      eventPrefix: undefined,
    };
  });

const readContentTypes = (value: unknown, warnings: string[]): RealtimeConfig['contentTypes'] => {
  // v4's '*' meant every content type and event: the same as our default.
  if (value === undefined || value === 'all-api' || value === '*') return 'all-api';
  if (Array.isArray(value)) return readSelectionList(value, warnings);
  if (isPlainObject(value)) return readV4Map(value, warnings);
  throw new ConfigError(
    'contentTypes',
    '"all-api", "*", a list of uids / { uid, actions, populate, eventPrefix }, or a v4 { singularName: actions } map',
    value,
  );
};

// ---------------------------------------------------------------------------------------------------------------
// graphql

/** An absolute URL path without query or fragment. */
const readPath = (value: unknown, key: string): string => {
  if (typeof value !== 'string' || !/^\/[^\s?#]*$/.test(value)) {
    throw new ConfigError(key, 'a path starting with "/" (no spaces, "?" or "#")', value);
  }
  return value;
};

const readGraphql = (value: unknown, defaults: GraphqlTransportConfig, env: ConfigEnv): GraphqlTransportConfig => {
  const obj = sectionObject(value, 'graphql');
  expectKnownKeys(obj, 'graphql', Object.keys(defaults));
  // The SDL token may come from the environment, so it need not be written in config files.
  const field = fieldReader(obj, 'graphql', { ...defaults, sdlToken: env.REALTIME_SDL_TOKEN || defaults.sdlToken });
  return {
    enabled: field('enabled', readBoolean),
    path: field('path', readPath),
    ssePath: field('ssePath', readPath),
    sdlPath: field('sdlPath', readPath),
    graphiql: field('graphiql', readBoolean),
    introspection: field('introspection', readBoolean),
    sdlToken: field('sdlToken', readString),
    maxDepth: field('maxDepth', readInteger),
    maxTokens: field('maxTokens', readInteger),
    maxFields: field('maxFields', readInteger),
    maxAliases: field('maxAliases', readCount),
    maxInputDepth: field('maxInputDepth', readInteger),
    maxFilterSize: field('maxFilterSize', readInteger),
    maxSubscriptionsPerConnection: field('maxSubscriptionsPerConnection', readInteger),
    maxMessageBytes: field('maxMessageBytes', readInteger),
    sseReservationTimeoutMs: field('sseReservationTimeoutMs', readInteger),
    connectionInitTimeoutMs: field('connectionInitTimeoutMs', readInteger),
    keepAliveMs: field('keepAliveMs', readCount),
    maxBufferedBytes: field('maxBufferedBytes', readInteger),
  };
};

// ---------------------------------------------------------------------------------------------------------------
// socket

/** Plain objects merge key by key (like Strapi's defaultsDeep for plugin-io); anything else replaces. */
const mergeDeep = (base: Obj, override: Obj): Obj => {
  const merged: Obj = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = isPlainObject(value) && isPlainObject(base[key]) ? mergeDeep(base[key], value) : value;
  }
  return merged;
};

const readServerOptions = (value: unknown, key: string, defaults: Obj): SocketTransportConfig['serverOptions'] => {
  const obj = expectObject(value, key);
  if (obj.path !== undefined) readPath(obj.path, at(key, 'path'));
  return mergeDeep(defaults, obj);
};

const readEvent = (value: unknown, key: string): SocketEventConfig => {
  const obj = expectObject(value, key, '{ name, handler }');
  expectKnownKeys(obj, key, ['name', 'handler']);
  return {
    name: readString(obj.name, at(key, 'name'), 'a non-empty event name'),
    handler: readFunction<SocketEventConfig['handler']>(obj.handler, at(key, 'handler')),
  };
};

const readHooks = (value: unknown, key: string): SocketTransportConfig['hooks'] => {
  const obj = expectObject(value, key, '{ init }');
  expectKnownKeys(obj, key, ['init']);
  return obj.init === undefined ? {} : { init: readFunction<(context: unknown) => unknown>(obj.init, at(key, 'init')) };
};

const readRateLimit = (value: unknown, key: string, defaults: RateLimitConfig): RateLimitConfig => {
  const obj = expectObject(value, key, '{ points, windowMs }');
  expectKnownKeys(obj, key, ['points', 'windowMs']);
  const field = fieldReader(obj, key, defaults);
  return { points: field('points', readInteger), windowMs: field('windowMs', readInteger) };
};

/** An IPv4/IPv6 address or a CIDR block (`10.0.0.0/8`, `fd00::/8`). */
const readIpRule = (value: unknown, key: string): string => {
  const expected = 'an IP address or CIDR block (e.g. "10.0.0.0/8")';
  if (typeof value !== 'string') throw new ConfigError(key, expected, value);
  const [address, prefix, ...rest] = value.split('/');
  const version = isIP(address);
  const maxPrefix = version === 4 ? 32 : 128;
  const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
  if (version === 0 || !prefixOk || rest.length > 0) throw new ConfigError(key, expected, value);
  return value;
};

const SOCKET_KEYS = [
  'enabled',
  'serverOptions',
  'publicRoleName',
  'events',
  'hooks',
  'rateLimit',
  'maxEntitySubscriptions',
  'maxPayloadBytes',
  'ipAllowList',
  'ipDenyList',
] as const;

/** `socket` plus the options plugin-io v5 (`events`, `hooks`) and v4 (`IOServerOptions`, ...) keep at the top. */
const readSocket = (input: Obj, defaults: SocketTransportConfig): SocketTransportConfig => {
  const socket = sectionObject(input.socket, 'socket');
  expectKnownKeys(socket, 'socket', SOCKET_KEYS);
  const field = fieldReader(socket, 'socket', defaults);
  // Both spellings at once is ambiguous; errors name the key the user wrote (`events[0].handler`).
  const topLevelOr = <K extends keyof SocketTransportConfig & string>(
    topKey: string,
    name: K,
    read: Reader<SocketTransportConfig[K]>,
  ) => {
    if (input[topKey] === undefined) return field(name, read);
    if (socket[name] !== undefined) {
      throw new ConfigError(topKey, `only one of "${topKey}" and "socket.${name}"`, input[topKey]);
    }
    return read(input[topKey], topKey);
  };
  const ipList: Reader<string[]> = (value, key) => readList(value, key, readIpRule);
  return {
    enabled: field('enabled', readBoolean),
    serverOptions: topLevelOr('IOServerOptions', 'serverOptions', (value, key) =>
      readServerOptions(value, key, defaults.serverOptions as Obj),
    ),
    publicRoleName: topLevelOr('publicRoleName', 'publicRoleName', readString),
    events: topLevelOr('events', 'events', (value, key) => readList(value, key, readEvent)),
    hooks: topLevelOr('hooks', 'hooks', readHooks),
    rateLimit: field('rateLimit', (value, key) => readRateLimit(value, key, defaults.rateLimit)),
    maxEntitySubscriptions: field('maxEntitySubscriptions', readInteger),
    maxPayloadBytes: field('maxPayloadBytes', readInteger),
    ipAllowList: field('ipAllowList', ipList),
    ipDenyList: field('ipDenyList', ipList),
  };
};

// ---------------------------------------------------------------------------------------------------------------
// bus, sensitive fields

const BUS_EXPECTED = '"memory", { kind: "memory" } or { kind: "redis", url: "redis://…", stream?, bufferSize? }';

const readRedisUrl = (value: unknown, key: string): string => {
  const expected = 'a redis:// or rediss:// URL';
  if (typeof value !== 'string' || !URL.canParse(value)) throw new ConfigError(key, expected, value);
  if (!['redis:', 'rediss:'].includes(new URL(value).protocol)) throw new ConfigError(key, expected, value);
  return value;
};

const readBus = (value: unknown): BusConfig => {
  if (value === undefined || value === 'memory') return { kind: 'memory' };
  const obj = expectObject(value, 'bus', BUS_EXPECTED);
  if (obj.kind === 'memory') {
    expectKnownKeys(obj, 'bus', ['kind']);
    return { kind: 'memory' };
  }
  if (obj.kind !== 'redis') throw new ConfigError('bus.kind', '"memory" or "redis"', obj.kind);
  expectKnownKeys(obj, 'bus', ['kind', 'url', 'stream', 'channel', 'bufferSize']);
  if (obj.stream !== undefined && obj.channel !== undefined) throw new ConfigError('bus.channel', 'only one of "bus.stream" and "bus.channel"', obj.channel);
  return {
    kind: 'redis',
    url: readRedisUrl(obj.url, 'bus.url'),
    // `channel` named the pub/sub channel before the bus became a stream: it names the stream now.
    stream: obj.channel !== undefined ? readString(obj.channel, 'bus.channel') : optional(obj.stream, 'bus.stream', readString, DEFAULT_REDIS_STREAM),
    bufferSize: optional(obj.bufferSize, 'bus.bufferSize', readInteger, DEFAULT_REDIS_BUFFER_SIZE),
  };
};

/** Config adds to the defaults (never replaces them), lower-cased because matching ignores case. */
const readSensitiveFields = (value: unknown, defaults: string[]): string[] => {
  const extra = optional(value, 'sensitiveFields', (list, key) => readList(list, key, readFieldName), []);
  return [...new Set([...defaults, ...extra.map((field) => field.toLowerCase())])];
};

// ---------------------------------------------------------------------------------------------------------------
// metrics

const TOKEN_EXPECTED = `a bearer token of at least ${MIN_METRICS_TOKEN_LENGTH} characters without spaces`;

/** Never echoes a token back: a wrong one is described by its length only (errors end up in logs). */
const readToken = (value: unknown, key: string): string => {
  if (typeof value !== 'string') throw new ConfigError(key, TOKEN_EXPECTED, value);
  if (value.length < MIN_METRICS_TOKEN_LENGTH || /\s/.test(value)) {
    throw new ConfigError(key, TOKEN_EXPECTED, `(hidden: ${value.length} characters)`);
  }
  return value;
};

/** `metrics: true` is `{ enabled: true }`; enabled needs a token from config or `REALTIME_METRICS_TOKEN`. */
const readMetrics = (value: unknown, defaults: MetricsConfig, env: ConfigEnv): MetricsConfig => {
  const obj = sectionObject(value, 'metrics');
  expectKnownKeys(obj, 'metrics', Object.keys(defaults));
  const field = fieldReader(obj, 'metrics', defaults);
  const enabled = field('enabled', readBoolean);
  const fromEnv = env.REALTIME_METRICS_TOKEN;
  let token = field('token', readToken);
  if (enabled && token === null && fromEnv !== undefined && fromEnv !== '') token = readToken(fromEnv, 'REALTIME_METRICS_TOKEN (environment)');
  if (enabled && token === null) {
    throw new ConfigError(
      'metrics.token',
      `${TOKEN_EXPECTED} when metrics are enabled (or the REALTIME_METRICS_TOKEN environment variable)`,
      undefined,
    );
  }
  return {
    enabled,
    path: field('path', readPath),
    token: enabled ? token : null,
    defaultMetrics: field('defaultMetrics', readBoolean),
  };
};

// ---------------------------------------------------------------------------------------------------------------

/** `false` turns replay off; `true` or an object keeps the defaults for what it does not set. */
const readReplay = (value: unknown, defaults: ReplayConfig): ReplayConfig => {
  if (value === false) return { ...defaults, maxEvents: 0 };
  const obj = sectionObject(value, 'replay');
  expectKnownKeys(obj, 'replay', ['enabled', ...Object.keys(defaults)]);
  if (obj.enabled !== undefined && !readBoolean(obj.enabled, 'replay.enabled')) return { ...defaults, maxEvents: 0 };
  const field = fieldReader(obj, 'replay', defaults);
  return { maxEvents: field('maxEvents', readCount), maxAgeMs: field('maxAgeMs', readInteger) };
};

const readLimits = (value: unknown, defaults: ConnectionLimitsConfig): ConnectionLimitsConfig => {
  const obj = expectObject(value ?? {}, 'limits', '{ maxConnections, maxConnectionsPerAddress }');
  expectKnownKeys(obj, 'limits', Object.keys(defaults));
  const field = fieldReader(obj, 'limits', defaults);
  return {
    maxConnections: field('maxConnections', readInteger),
    maxConnectionsPerAddress: field('maxConnectionsPerAddress', readInteger),
  };
};

const TOP_LEVEL_KEYS = [
  'contentTypes',
  'sensitiveFields',
  'drafts',
  'graphql',
  'socket',
  'bus',
  'replay',
  'limits',
  'eventLogSize',
  'metrics',
  // plugin-io v5 (and v4) keep these at the top level; they configure the Socket.IO transport.
  'events',
  'hooks',
  // strapi-plugin-io v4.
  'IOServerOptions',
  'publicRoleName',
] as const;

/**
 * Normalizes and validates the plugin config, collecting warnings for input that is accepted but ignored.
 * `env` decides environment-dependent defaults (GraphiQL off in production); pass `process.env` from Strapi.
 */
export function normalizeConfigWithWarnings(raw: unknown, env: ConfigEnv = process.env): NormalizedConfig {
  const warnings: string[] = [];
  const input = raw === undefined || raw === null ? {} : expectObject(raw, '', 'the plugin config to be an object');
  expectKnownKeys(input, '', TOP_LEVEL_KEYS);
  const defaults = defaultConfig(env);
  const config: RealtimeConfig = {
    contentTypes: readContentTypes(input.contentTypes, warnings),
    sensitiveFields: readSensitiveFields(input.sensitiveFields, defaults.sensitiveFields),
    drafts: optional(input.drafts, 'drafts', readBoolean, defaults.drafts),
    graphql: readGraphql(input.graphql, defaults.graphql, env),
    socket: readSocket(input, defaults.socket),
    bus: readBus(input.bus),
    replay: readReplay(input.replay, defaults.replay),
    limits: readLimits(input.limits, defaults.limits),
    eventLogSize: optional(input.eventLogSize, 'eventLogSize', readCount, defaults.eventLogSize),
    metrics: readMetrics(input.metrics, defaults.metrics, env),
  };
  return { config, warnings };
}

/** `normalizeConfigWithWarnings` without the warnings (validator, tests). Throws `ConfigError` on bad input. */
export function normalizeConfig(raw: unknown, env?: ConfigEnv): RealtimeConfig {
  return normalizeConfigWithWarnings(raw, env).config;
}
