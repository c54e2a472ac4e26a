import { describe, it, expect } from 'vitest';
import {
  ConfigError,
  DEFAULT_SENSITIVE_FIELDS,
  defaultConfig,
  normalizeConfig,
  normalizeConfigWithWarnings,
  pluginConfig,
} from '../../src/config';
import { createLog } from '../../src/log';

const DEV = { NODE_ENV: 'development' };
const normalize = (raw: unknown) => normalizeConfig(raw, DEV);

/** The ConfigError `raw` throws; fails the test when it does not throw one. */
const errorOf = (raw: unknown): ConfigError => {
  try {
    normalize(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

const expectConfigError = (raw: unknown, key: string, expected: string) => {
  const error = errorOf(raw);
  expect(error.key).toBe(key);
  expect(error.message).toContain(`[realtime] Invalid config at "${key}": expected `);
  expect(error.message).toContain(expected);
  return error;
};

const ALL = ['created', 'updated', 'deleted', 'published', 'unpublished', 'draftDiscarded'];
const noop = () => {};

describe('defaults', () => {
  it('fills every key when nothing is configured', () => {
    expect(normalize(undefined)).toEqual(defaultConfig(DEV));
    expect(normalize(null)).toEqual(defaultConfig(DEV));
    expect(normalize({})).toEqual(defaultConfig(DEV));
  });

  it('has the documented values', () => {
    const config = normalize({});
    expect(config.contentTypes).toBe('all-api');
    expect(config.drafts).toBe(true);
    expect(config.bus).toEqual({ kind: 'memory' });
    expect(config.eventLogSize).toBe(1000);
    expect(config.graphql).toEqual({
      enabled: true,
      path: '/graphql',
      ssePath: '/graphql/stream',
      sdlPath: '/graphql/schema.graphql',
      graphiql: true,
      introspection: undefined,
      sdlToken: null,
      maxDepth: 10,
      maxTokens: 2000,
      maxFields: 250,
      maxAliases: 30,
      maxInputDepth: 16,
      maxFilterSize: 1000,
      maxSubscriptionsPerConnection: 100,
      maxMessageBytes: 65536,
      sseReservationTimeoutMs: 10000,
      connectionInitTimeoutMs: 10000,
      keepAliveMs: 12000,
      maxBufferedBytes: 4 * 1024 * 1024,
    });
    expect(config.socket).toEqual({
      enabled: true,
      // No cors: Socket.IO follows strapi::cors unless the config sets one (test/unit/strapi-cors.test.ts).
      serverOptions: { path: '/socket.io' },
      publicRoleName: 'Public',
      events: [],
      hooks: {},
      rateLimit: { points: 30, windowMs: 1000 },
      maxEntitySubscriptions: 100,
      maxPayloadBytes: 1e6,
      ipAllowList: [],
      ipDenyList: [],
      maxBufferedBytes: 4 * 1024 * 1024,
    });
    expect(config.delivery).toEqual({ sliceMs: 10, maxBufferedBytes: 256 * 1024 * 1024, maxPendingEvents: 10_000 });
    expect(config.limits).toEqual({ maxConnections: 20_000, maxConnectionsPerAddress: 1_000 });
    expect(config.sensitiveFields).toEqual(DEFAULT_SENSITIVE_FIELDS.map((field) => field.toLowerCase()));
    expect(config.metrics).toEqual({ enabled: false, path: '/realtime/metrics', token: null, defaultMetrics: true });
  });

  it('takes the SDL token from REALTIME_SDL_TOKEN unless the config sets one', () => {
    expect(normalizeConfig({}, { REALTIME_SDL_TOKEN: 'from-env' }).graphql.sdlToken).toBe('from-env');
    expect(normalizeConfig({ graphql: { sdlToken: 'from-config' } }, { REALTIME_SDL_TOKEN: 'from-env' }).graphql.sdlToken).toBe('from-config');
  });

  it('checks connection limits', () => {
    expect(normalizeConfig({ limits: { maxConnectionsPerAddress: 5 } }).limits).toEqual({ maxConnections: 20_000, maxConnectionsPerAddress: 5 });
    expect(() => normalizeConfig({ limits: { maxConnections: 0 } })).toThrow(/limits\.maxConnections/);
    expect(() => normalizeConfig({ limits: { max: 1 } })).toThrow(/limits\.max/);
  });

  it('turns GraphiQL off in production only', () => {
    expect(normalizeConfig({}, { NODE_ENV: 'production' }).graphql.graphiql).toBe(false);
    expect(normalizeConfig({}, { NODE_ENV: 'test' }).graphql.graphiql).toBe(true);
    expect(normalizeConfig({ graphql: { graphiql: true } }, { NODE_ENV: 'production' }).graphql.graphiql).toBe(true);
  });

  it('returns fresh objects (callers may not corrupt the next normalization)', () => {
    const first = normalize({});
    first.socket.ipDenyList.push('10.0.0.1');
    first.sensitiveFields.length = 0;
    const second = normalize({});
    expect(second.socket.ipDenyList).toEqual([]);
    expect(second.sensitiveFields).toContain('password');
  });
});

describe('our own shape', () => {
  it('deep-merges partial sections over the defaults', () => {
    const config = normalize({
      contentTypes: [{ uid: 'api::article.article', actions: ['created', 'published'], eventPrefix: 'post', conflate: false }],
      drafts: false,
      graphql: { path: '/api/graphql', maxDepth: 6, keepAliveMs: 0 },
      socket: {
        rateLimit: { points: 5 },
        ipAllowList: ['10.0.0.0/8', '::1', '192.168.1.20'],
        ipDenyList: ['fd00::/8'],
      },
      bus: { kind: 'redis', url: 'redis://localhost:6379' },
      eventLogSize: 50,
    });
    expect(config.contentTypes).toEqual([
      { uid: 'api::article.article', actions: ['created', 'published'], populate: undefined, eventPrefix: 'post', conflate: false },
    ]);
    expect(config.drafts).toBe(false);
    expect(config.graphql).toMatchObject({
      path: '/api/graphql',
      maxDepth: 6,
      keepAliveMs: 0,
      ssePath: '/graphql/stream',
    });
    expect(config.socket.rateLimit).toEqual({ points: 5, windowMs: 1000 });
    expect(config.socket.ipAllowList).toEqual(['10.0.0.0/8', '::1', '192.168.1.20']);
    expect(config.socket.ipDenyList).toEqual(['fd00::/8']);
    expect(config.bus).toEqual({ kind: 'redis', url: 'redis://localhost:6379', stream: 'strapi-realtime:events', bufferSize: 10_000 });
    expect(config.eventLogSize).toBe(50);
  });

  it('accepts `graphql: false` / `socket: false` as shorthand for enabled: false', () => {
    const config = normalize({ graphql: false, socket: false });
    expect(config.graphql).toEqual({ ...defaultConfig(DEV).graphql, enabled: false });
    expect(config.socket).toEqual({ ...defaultConfig(DEV).socket, enabled: false });
    expect(normalize({ graphql: true }).graphql.enabled).toBe(true);
  });

  it('accepts the bus shorthands, a custom stream and a buffer size', () => {
    expect(normalize({ bus: 'memory' }).bus).toEqual({ kind: 'memory' });
    expect(normalize({ bus: { kind: 'memory' } }).bus).toEqual({ kind: 'memory' });
    expect(normalize({ bus: { kind: 'redis', url: 'rediss://:pw@cache:6380/2', stream: 'app:events' } }).bus).toEqual({
      kind: 'redis',
      url: 'rediss://:pw@cache:6380/2',
      stream: 'app:events',
      bufferSize: 10_000,
    });
    expect(normalize({ bus: { kind: 'redis', url: 'redis://cache', stream: 's', bufferSize: 5 } }).bus).toEqual({ kind: 'redis', url: 'redis://cache', stream: 's', bufferSize: 5 });
    // The pub/sub `channel` of earlier versions is gone with pub/sub: naming it is an error, not a silent default.
    expect(() => normalize({ bus: { kind: 'redis', url: 'redis://cache', channel: 'c' } })).toThrow(/bus\.channel/);
    expect(() => normalize({ bus: { kind: 'redis', url: 'redis://cache', bufferSize: 0 } })).toThrow(/bus\.bufferSize/);
  });

  it('keeps a replay window by default; false or enabled: false turns it off', () => {
    expect(normalize({}).replay).toEqual({ enabled: true, maxEvents: 1000, maxAgeMs: 120_000 });
    expect(normalize({ replay: { maxEvents: 10 } }).replay).toEqual({ enabled: true, maxEvents: 10, maxAgeMs: 120_000 });
    expect(normalize({ replay: false }).replay.maxEvents).toBe(0);
    expect(normalize({ replay: { enabled: false } }).replay.maxEvents).toBe(0);
    expect(() => normalize({ replay: { maxEvents: -1 } })).toThrow(/replay\.maxEvents/);
    expect(() => normalize({ replay: { window: 1 } })).toThrow(/replay\.window/);
  });

  it('accepts "all-api" explicitly and keeps an explicit empty list (nothing emits)', () => {
    expect(normalize({ contentTypes: 'all-api' }).contentTypes).toBe('all-api');
    expect(normalize({ contentTypes: [] }).contentTypes).toEqual([]);
  });
});

describe('plugin-io v5 shape', () => {
  it('reads the README quick start', () => {
    const config = normalize({
      contentTypes: ['api::article.article'],
      socket: {
        serverOptions: {
          cors: {
            origin: 'http://localhost:3000',
            methods: ['GET', 'POST'],
          },
        },
      },
    });
    expect(config.contentTypes).toEqual([
      { uid: 'api::article.article', actions: ALL, populate: undefined, eventPrefix: undefined, conflate: false },
    ]);
    expect(config.socket.serverOptions).toEqual({
      path: '/socket.io',
      cors: { origin: 'http://localhost:3000', methods: ['GET', 'POST'] },
    });
  });

  it('reads the README advanced configuration', () => {
    const connection = ({ strapi }: { strapi: { log: { info(m: string): void } } }, socket: { id: string }) => {
      strapi.log.info(`Client connected: ${socket.id}`);
    };
    const disconnect = noop;
    const init = noop;
    const config = normalize({
      contentTypes: [
        {
          uid: 'api::article.article',
          actions: ['create', 'update'],
          populate: '*',
        },
        {
          uid: 'api::comment.comment',
          actions: ['create', 'delete'],
          populate: ['author', 'article'],
        },
        {
          uid: 'api::order.order',
          populate: {
            customer: { fields: ['name', 'email'] },
            items: { populate: ['product'] },
          },
        },
      ],
      socket: {
        serverOptions: {
          cors: {
            origin: 'http://localhost:3000',
            methods: ['GET', 'POST'],
            credentials: true,
          },
          pingTimeout: 60000,
          pingInterval: 25000,
        },
      },
      events: [
        { name: 'connection', handler: connection },
        { name: 'disconnect', handler: disconnect },
      ],
      hooks: { init },
    });
    expect(config.contentTypes).toEqual([
      { uid: 'api::article.article', actions: ['created', 'updated'], populate: '*', eventPrefix: undefined, conflate: false },
      {
        uid: 'api::comment.comment',
        actions: ['created', 'deleted'],
        populate: ['author', 'article'],
        eventPrefix: undefined,
        conflate: false,
      },
      {
        uid: 'api::order.order',
        actions: ALL,
        populate: { customer: { fields: ['name', 'email'] }, items: { populate: ['product'] } },
        eventPrefix: undefined,
        conflate: false,
      },
    ]);
    expect(config.socket.serverOptions).toEqual({
      path: '/socket.io',
      cors: { origin: 'http://localhost:3000', methods: ['GET', 'POST'], credentials: true },
      pingTimeout: 60000,
      pingInterval: 25000,
    });
    expect(config.socket.events).toEqual([
      { name: 'connection', handler: connection },
      { name: 'disconnect', handler: disconnect },
    ]);
    expect(config.socket.events[0].handler).toBe(connection);
    expect(config.socket.hooks.init).toBe(init);
  });

  it('reads the plugin-config reference (eventPrefix, populate list, transports, path)', () => {
    const config = normalize({
      contentTypes: [
        'api::article.article',
        { uid: 'api::product.product', actions: ['create', 'update'] },
        { uid: 'api::comment.comment', actions: ['create'], eventPrefix: 'new-comment', conflate: false },
        { uid: 'api::tag.tag', actions: ['create', 'update'], populate: ['author', 'category', 'tags'] },
      ],
      socket: {
        serverOptions: {
          cors: {
            origin: ['https://example.com', 'https://app.example.com'],
            methods: ['GET', 'POST'],
            credentials: true,
          },
          transports: ['websocket'],
          path: '/api/realtime',
          maxHttpBufferSize: 1e6,
        },
      },
    });
    expect(config.contentTypes).toMatchObject([
      { uid: 'api::article.article', actions: ALL },
      { uid: 'api::product.product', actions: ['created', 'updated'] },
      { uid: 'api::comment.comment', actions: ['created'], eventPrefix: 'new-comment', conflate: false },
      { uid: 'api::tag.tag', populate: ['author', 'category', 'tags'] },
    ]);
    // Arrays replace the default's (no index-wise merge of `methods`), objects merge.
    expect(config.socket.serverOptions).toEqual({
      path: '/api/realtime',
      cors: { origin: ['https://example.com', 'https://app.example.com'], methods: ['GET', 'POST'], credentials: true },
      transports: ['websocket'],
      maxHttpBufferSize: 1e6,
    });
  });

  it('keeps an explicit cors as given (it replaces the strapi::cors settings Socket.IO follows otherwise)', () => {
    const config = normalize({ socket: { serverOptions: { cors: { origin: '*' } } } });
    expect(config.socket.serverOptions.cors).toEqual({ origin: '*' });
  });

  it('merges sensitiveFields with the defaults, lower-cased and de-duplicated', () => {
    const config = normalize({
      contentTypes: ['api::user.user'],
      sensitiveFields: ['creditCard', 'ssn', 'socialSecurityNumber', 'bankAccount', 'internalNotes', 'Password', 'SSN'],
    });
    expect(config.sensitiveFields).toEqual([
      ...DEFAULT_SENSITIVE_FIELDS.map((field) => field.toLowerCase()),
      'creditcard',
      'ssn',
      'socialsecuritynumber',
      'bankaccount',
      'internalnotes',
    ]);
  });
});

describe('strapi-plugin-io v4 shape', () => {
  it('reads the README sample configuration', () => {
    const connection = noop;
    const config = normalize({
      IOServerOptions: {
        cors: { origin: 'http://localhost:5000', methods: ['GET'] },
      },
      contentTypes: {
        message: '*',
        chat: ['create'],
      },
      events: [{ name: 'connection', handler: connection }],
    });
    expect(config.contentTypes).toEqual([
      { uid: 'message', actions: ALL, populate: undefined, eventPrefix: undefined, conflate: false },
      { uid: 'chat', actions: ['created'], populate: undefined, eventPrefix: undefined, conflate: false },
    ]);
    expect(config.socket.serverOptions).toEqual({
      path: '/socket.io',
      cors: { origin: 'http://localhost:5000', methods: ['GET'] },
    });
    expect(config.socket.events).toEqual([{ name: 'connection', handler: connection }]);
  });

  it('maps "*" to all api content types and publicRoleName to the socket', () => {
    const config = normalize({ contentTypes: '*', publicRoleName: 'Guest' });
    expect(config.contentTypes).toBe('all-api');
    expect(config.socket.publicRoleName).toBe('Guest');
  });

  it('drops read actions with a warning and expands createOrUpdate', () => {
    const { config, warnings } = normalizeConfigWithWarnings(
      { contentTypes: { homepage: ['createOrUpdate', 'find'], message: ['findOne', 'delete'], log: ['find'] } },
      DEV,
    );
    expect(config.contentTypes).toEqual([
      { uid: 'homepage', actions: ['created', 'updated'], populate: undefined, eventPrefix: undefined, conflate: false },
      { uid: 'message', actions: ['deleted'], populate: undefined, eventPrefix: undefined, conflate: false },
      { uid: 'log', actions: [], populate: undefined, eventPrefix: undefined, conflate: false },
    ]);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain('contentTypes.homepage[1]');
    expect(warnings[0]).toContain('"find"');
    // Register logs them through the plugin's log, which adds the one `[realtime]` prefix.
    const lines: string[] = [];
    createLog({ debug: () => undefined, info: () => undefined, warn: (line) => lines.push(line), error: () => undefined }).warn(warnings[0]);
    expect(lines).toEqual([expect.stringMatching(/^\[realtime\] config "contentTypes\.homepage\[1\]"/)]);
    expect(normalizeConfigWithWarnings({ contentTypes: ['api::a.a'] }, DEV).warnings).toEqual([]);
  });
});

describe('action mapping', () => {
  const actionsOf = (actions: unknown) => {
    const [selection] = normalize({ contentTypes: [{ uid: 'api::article.article', actions }] }).contentTypes as {
      actions: string[];
    }[];
    return selection.actions;
  };

  it('maps plugin-io verbs to ChangeActions', () => {
    expect(actionsOf(['create', 'update', 'delete', 'publish', 'unpublish'])).toEqual([
      'created',
      'updated',
      'deleted',
      'published',
      'unpublished',
    ]);
  });

  it('accepts ChangeAction names, mixed with verbs, de-duplicated in canonical order', () => {
    expect(actionsOf(['unpublished', 'create', 'created', 'draftDiscarded'])).toEqual([
      'created',
      'unpublished',
      'draftDiscarded',
    ]);
  });

  it('treats "*" (alone or in a list) and a missing list as all actions', () => {
    expect(actionsOf('*')).toEqual(ALL);
    expect(actionsOf(['create', '*'])).toEqual(ALL);
    expect(actionsOf(undefined)).toEqual(ALL);
  });
});

describe('errors', () => {
  it('names an unknown action with its index', () => {
    const error = expectConfigError(
      { contentTypes: ['api::article.article', { uid: 'api::comment.comment', actions: ['create', 'destroy'] }] },
      'contentTypes[1].actions[1]',
      'one of create, update, delete, publish, unpublish',
    );
    expect(error.message).toMatch(/; received "destroy"\.$/);
  });

  it('rejects a number instead of a uid', () => {
    expectConfigError({ contentTypes: [42] }, 'contentTypes[0]', 'a content-type uid');
    expectConfigError({ contentTypes: [{ uid: 7 }] }, 'contentTypes[0].uid', 'a content-type uid');
  });

  it('rejects a bad value in the v4 map', () => {
    const error = expectConfigError(
      { contentTypes: { message: '*', chat: true } },
      'contentTypes.chat',
      '"*" or a non-empty list of actions',
    );
    expect(error.message).toContain('received true');
    expectConfigError({ contentTypes: { chat: ['emit'] } }, 'contentTypes.chat[0]', 'one of create, update');
  });

  it('rejects a handler that is not a function, at either spelling of events', () => {
    expectConfigError({ events: [{ name: 'connection', handler: 'log it' }] }, 'events[0].handler', 'a function');
    expectConfigError(
      { socket: { events: [{ name: 'x', handler: noop }, { handler: noop }] } },
      'socket.events[1].name',
      'event name',
    );
    expectConfigError({ hooks: { init: {} } }, 'hooks.init', 'a function');
    expectConfigError({ hooks: { start: noop } }, 'hooks.start', 'one of the options init');
  });

  it('never prints function bodies and truncates long values', () => {
    const error = errorOf({ graphql: { path: () => 'SECRET_VALUE' } });
    expect(error.message).toContain('received a function');
    expect(error.message).not.toContain('SECRET_VALUE');
    const long = errorOf({ events: 'x'.repeat(500) });
    expect(long.message).toContain('xxx…"');
    expect(long.message.length).toBeLessThan(200);
  });

  it('masks credentials in a bad Redis URL', () => {
    const error = expectConfigError(
      { bus: { kind: 'redis', url: 'http://user:hunter2@cache:6379' } },
      'bus.url',
      'a redis:// or rediss:// URL',
    );
    expect(error.message).not.toContain('hunter2');
  });

  it('rejects negative, fractional and non-numeric limits', () => {
    expectConfigError({ socket: { rateLimit: { points: -1 } } }, 'socket.rateLimit.points', 'a positive integer');
    expectConfigError({ graphql: { maxDepth: 0 } }, 'graphql.maxDepth', 'a positive integer');
    expectConfigError({ graphql: { maxMessageBytes: 1.5 } }, 'graphql.maxMessageBytes', 'a positive integer');
    expectConfigError({ graphql: { keepAliveMs: -1 } }, 'graphql.keepAliveMs', 'a non-negative integer');
    expectConfigError({ socket: { maxPayloadBytes: Infinity } }, 'socket.maxPayloadBytes', 'a positive integer');
    expectConfigError({ eventLogSize: '100' }, 'eventLogSize', 'a non-negative integer');
  });

  it('rejects an unknown top-level key, suggesting the near miss', () => {
    const error = expectConfigError(
      { contentType: ['api::article.article'] },
      'contentType',
      'one of the options contentTypes',
    );
    expect(error.message).toContain('did you mean "contentTypes"?');
    expectConfigError({ admin: {} }, 'admin', 'one of the options');
  });

  it('rejects unknown keys in nested sections', () => {
    expectConfigError({ graphql: { maxdepth: 3 } }, 'graphql.maxdepth', 'did you mean "maxDepth"?');
    expectConfigError(
      { socket: { rateLimit: { points: 1, window: 10 } } },
      'socket.rateLimit.window',
      'one of the options points, windowMs',
    );
    expectConfigError(
      { contentTypes: [{ uid: 'api::a.a', action: ['create'] }] },
      'contentTypes[0].action',
      'did you mean "actions"?',
    );
  });

  it('rejects invalid IPs and CIDRs', () => {
    expectConfigError(
      { socket: { ipDenyList: ['10.0.0.1', '300.1.1.1'] } },
      'socket.ipDenyList[1]',
      'an IP address or CIDR block',
    );
    expectConfigError({ socket: { ipDenyList: ['10.0.0.0/33'] } }, 'socket.ipDenyList[0]', 'CIDR');
    expectConfigError({ socket: { ipAllowList: ['localhost'] } }, 'socket.ipAllowList[0]', 'CIDR');
    expectConfigError({ socket: { ipAllowList: '10.0.0.1' } }, 'socket.ipAllowList', 'an array');
  });

  it('rejects a bad bus', () => {
    expectConfigError({ bus: 'redis' }, 'bus', '"memory", { kind: "memory" } or { kind: "redis"');
    expectConfigError({ bus: { kind: 'kafka' } }, 'bus.kind', '"memory" or "redis"');
    expectConfigError({ bus: { kind: 'redis' } }, 'bus.url', 'a redis:// or rediss:// URL');
    expectConfigError({ bus: { kind: 'redis', url: 'redis://x', stream: '' } }, 'bus.stream', 'a non-empty string');
    expectConfigError({ bus: { kind: 'memory', url: 'redis://x' } }, 'bus.url', 'one of the options kind');
  });

  it('rejects duplicate uids, naming the second entry', () => {
    const error = expectConfigError(
      { contentTypes: ['api::article.article', { uid: 'api::article.article', populate: ['author'] }] },
      'contentTypes[1]',
      'each content type once (already listed at contentTypes[0])',
    );
    expect(error.message).toContain('received "api::article.article"');
  });

  it('rejects mixing v4 IOServerOptions with socket.serverOptions (and other double spellings)', () => {
    expectConfigError(
      { IOServerOptions: {}, socket: { serverOptions: {} } },
      'IOServerOptions',
      'only one of "IOServerOptions" and "socket.serverOptions"',
    );
    expectConfigError({ events: [], socket: { events: [] } }, 'events', 'only one of "events" and "socket.events"');
    expectConfigError(
      { publicRoleName: 'A', socket: { publicRoleName: 'B' } },
      'publicRoleName',
      'socket.publicRoleName',
    );
  });

  it('checks populate, eventPrefix, paths and the other shapes', () => {
    expectConfigError(
      { contentTypes: [{ uid: 'api::a.a', populate: 'author' }] },
      'contentTypes[0].populate',
      '"*", true, a list of field names',
    );
    expectConfigError(
      { contentTypes: [{ uid: 'api::a.a', populate: { author: 1 } }] },
      'contentTypes[0].populate.author',
      'populate object',
    );
    expectConfigError(
      { contentTypes: [{ uid: 'api::a.a', populate: ['author', ''] }] },
      'contentTypes[0].populate[1]',
      'a field name',
    );
    expectConfigError(
      { contentTypes: [{ uid: 'api::a.a', eventPrefix: 'a:b', conflate: false }] },
      'contentTypes[0].eventPrefix',
      'without ":"',
    );
    expectConfigError(
      { contentTypes: [{ uid: 'api::a.a', actions: [] }] },
      'contentTypes[0].actions',
      'non-empty list',
    );
    expectConfigError({ contentTypes: 'article' }, 'contentTypes', '"all-api", "*", a list of uids');
    expectConfigError({ graphql: { path: 'graphql' } }, 'graphql.path', 'a path starting with "/"');
    expectConfigError(
      { socket: { serverOptions: { path: 'socket.io' } } },
      'socket.serverOptions.path',
      'a path starting with "/"',
    );
    expectConfigError({ IOServerOptions: 'cors' }, 'IOServerOptions', 'an object');
    expectConfigError({ graphql: 'off' }, 'graphql', 'an object, true or false');
    expectConfigError({ drafts: 'yes' }, 'drafts', 'true or false');
    expectConfigError({ sensitiveFields: ['ssn', 3] }, 'sensitiveFields[1]', 'a field name');
  });

  it('rejects a config that is not an object', () => {
    const error = errorOf(['api::article.article']);
    expect(error.key).toBe('');
    expect(error.message).toBe(
      '[realtime] Invalid config: expected the plugin config to be an object; received an array of 1 item(s).',
    );
  });
});

describe('metrics', () => {
  const TOKEN = 'scrape-token-0123456789';

  it('is off by default, and off keeps no token', () => {
    expect(normalize({ metrics: { token: TOKEN } }).metrics).toEqual({
      enabled: false,
      path: '/realtime/metrics',
      token: null,
      defaultMetrics: true,
    });
    // A token in the environment alone does not turn metrics on.
    expect(normalizeConfig({}, { ...DEV, REALTIME_METRICS_TOKEN: TOKEN }).metrics.enabled).toBe(false);
  });

  it('enabled with a token from config, or from REALTIME_METRICS_TOKEN', () => {
    expect(normalize({ metrics: { enabled: true, token: TOKEN, path: '/metrics', defaultMetrics: false } }).metrics).toEqual({
      enabled: true,
      path: '/metrics',
      token: TOKEN,
      defaultMetrics: false,
    });
    const fromEnv = normalizeConfig({ metrics: true }, { ...DEV, REALTIME_METRICS_TOKEN: TOKEN }).metrics;
    expect(fromEnv).toMatchObject({ enabled: true, token: TOKEN });
    // Config wins over the environment.
    const both = normalizeConfig({ metrics: { enabled: true, token: TOKEN } }, { ...DEV, REALTIME_METRICS_TOKEN: 'another-token-abcdefgh' });
    expect(both.metrics.token).toBe(TOKEN);
  });

  it('refuses to serve metrics without a token', () => {
    expectConfigError({ metrics: { enabled: true } }, 'metrics.token', 'REALTIME_METRICS_TOKEN');
    expectConfigError({ metrics: true }, 'metrics.token', 'when metrics are enabled');
  });

  it('rejects short or malformed tokens without printing them', () => {
    const error = expectConfigError({ metrics: { enabled: true, token: 'short-secret' } }, 'metrics.token', 'at least 16 characters');
    expect(error.message).not.toContain('short-secret');
    expect(error.received).toBe('"(hidden: 12 characters)"');
    expectConfigError({ metrics: { enabled: true, token: 'has a space in the token' } }, 'metrics.token', 'without spaces');
    expectConfigError({ metrics: { enabled: true, token: 12345678901234567 } }, 'metrics.token', 'a bearer token');
    const envError = (() => {
      try {
        normalizeConfig({ metrics: true }, { ...DEV, REALTIME_METRICS_TOKEN: 'tiny' });
      } catch (error) {
        return error as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(envError.key).toBe('REALTIME_METRICS_TOKEN (environment)');
    expect(envError.message).not.toContain('tiny');
  });

  it('checks the other keys', () => {
    expectConfigError({ metrics: { enabled: true, token: TOKEN, path: 'metrics' } }, 'metrics.path', 'a path starting with "/"');
    expectConfigError({ metrics: { enabled: 'yes' } }, 'metrics.enabled', 'true or false');
    expectConfigError({ metrics: { enabeld: true } }, 'metrics.enabeld', 'did you mean "enabled"?');
    expectConfigError({ metrics: 'on' }, 'metrics', 'an object, true or false');
  });
});

describe('pluginConfig', () => {
  it('keeps default empty and validates by normalizing', () => {
    expect(pluginConfig.default).toEqual({});
    expect(() => pluginConfig.validator({ contentTypes: ['api::article.article'] })).not.toThrow();
    expect(() => pluginConfig.validator({ contentTypes: [{ uid: 'api::a.a', actions: ['destroy'] }] })).toThrow(
      ConfigError,
    );
  });
});
