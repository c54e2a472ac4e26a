import type { RealtimeConfig } from '../config/types';
import type { Fields } from '../config/option-schema';
import { REALTIME_OPTIONS } from '../config/realtime-options';
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

/** Every option as declared: secrets masked, the rest through `maskValue` (URL credentials, handlers, user objects). */
const maskOptions = (fields: Fields, values: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(fields).map(([name, spec]) => {
      const value = values[name];
      if (spec.kind === 'section') return [name, maskOptions(spec.fields as Fields, value as Record<string, unknown>)];
      if (spec.kind === 'variants') {
        const { kind } = value as { kind: string };
        return [name, { kind, ...maskOptions((spec.variants as Record<string, Fields>)[kind], value as Record<string, unknown>) }];
      }
      if (spec.secret) return [name, value === null || value === undefined ? null : MASK];
      return [name, maskValue(value)];
    }),
  );

/**
 * The effective configuration as the admin page shows it (read-only): every option the plugin runs with (new ones
 * included, as realtime-options.ts declares them), content types as resolved against the app, and no secret:
 * options declared `secret` (the metrics and SDL tokens) and credentials in URLs are masked, handlers are shown as
 * `[function]`.
 */
export const maskedConfig = (config: RealtimeConfig, settings: ReadonlyMap<string, ContentTypeSettings>): MaskedConfig => ({
  ...maskOptions(REALTIME_OPTIONS, config),
  contentTypes: [...settings.values()].map(({ uid, actions, populate, eventPrefix, conflate }) => ({
    uid,
    actions: [...actions],
    populate: maskValue(populate ?? null),
    eventPrefix,
    conflate,
  })),
});

/** JSON for the admin page (its view prints it as is); loosely typed: its keys follow the declared options. */
export type MaskedConfig = { contentTypes: { uid: string; actions: string[]; populate: unknown; eventPrefix: string; conflate: boolean }[]; [option: string]: any };
