import type { RealtimeConfig } from '../config/types';
import type { ContentTypeSettings } from '../config/content-type-settings';

export const MASK = '********';
const MAX_DEPTH = 6;

/** Keys whose values are credentials wherever they appear in user-provided objects (serverOptions, adapters). */
const SECRET_KEY = /(secret|passw(or)?d|pwd|token|apikey|api_key|private|salt|credential|^auth|authorization|^key$|cert)/i;

/** `redis://user:pass@host` → `redis://********@host`: the host stays visible, the credentials do not. */
export const maskUrlCredentials = (text: string) => text.replace(/(\/\/)[^/@\s]*@/g, `$1${MASK}@`);

/**
 * A JSON-safe copy of a user-provided value for display: credentials masked by key name and inside URLs,
 * functions named but never printed (their source may hold secrets), class instances and cycles summarized.
 */
export const maskValue = (value: unknown, depth = 0, seen = new WeakSet<object>()): unknown => {
  if (typeof value === 'string') return maskUrlCredentials(value);
  if (typeof value === 'function') return '[function]';
  if (typeof value === 'bigint' || typeof value === 'symbol') return String(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof RegExp) return String(value);
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => maskValue(item, depth + 1, seen));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return `[${proto?.constructor?.name ?? 'object'}]`;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      SECRET_KEY.test(key) && item !== undefined && item !== null && item !== '' && typeof item !== 'boolean' ? MASK : maskValue(item, depth + 1, seen),
    ]),
  );
};

/**
 * The effective configuration as the admin page shows it (read-only): every value the plugin runs with, content
 * types as resolved against the app, and no secret: the metrics and SDL tokens and Redis credentials are masked,
 * handlers are shown as `[function]`.
 */
export const maskedConfig = (config: RealtimeConfig, settings: ReadonlyMap<string, ContentTypeSettings>) => ({
  contentTypes: [...settings.values()].map(({ uid, actions, populate, eventPrefix }) => ({
    uid,
    actions: [...actions],
    populate: maskValue(populate ?? null),
    eventPrefix,
  })),
  sensitiveFields: [...config.sensitiveFields],
  drafts: config.drafts,
  graphql: { ...config.graphql, sdlToken: config.graphql.sdlToken ? MASK : null },
  socket: {
    ...config.socket,
    serverOptions: maskValue(config.socket.serverOptions),
    events: config.socket.events.map(({ name }) => ({ name, handler: '[function]' })),
    hooks: { init: config.socket.hooks.init ? '[function]' : null },
    ipAllowList: [...config.socket.ipAllowList],
    ipDenyList: [...config.socket.ipDenyList],
  },
  bus: config.bus.kind === 'redis' ? { kind: 'redis', url: maskUrlCredentials(config.bus.url), channel: config.bus.channel } : { kind: 'memory' },
  eventLogSize: config.eventLogSize,
  metrics: { ...config.metrics, token: config.metrics.token ? MASK : null },
});

export type MaskedConfig = ReturnType<typeof maskedConfig>;
