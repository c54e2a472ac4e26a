const MAX_STRING = 60;
const MAX_KEYS = 5;

/** Hides `user:password@` in URLs (a Redis URL is the likeliest secret in this config). */
const redactCredentials = (text: string) => text.replace(/(\/\/)[^/@\s]*@/g, '$1***@');

const truncate = (text: string) => (text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text);

/**
 * A short, log-safe description of a received value: strings are quoted, truncated and have URL credentials
 * masked; functions are named, never printed (their source may hold secrets); objects list a few keys only.
 */
export const describeValue = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(truncate(redactCredentials(value)));
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${value.length} item(s)`;
  const keys = Object.keys(value);
  if (keys.length === 0) return 'an empty object';
  const shown = keys.slice(0, MAX_KEYS).map((key) => truncate(key));
  return `an object with keys ${shown.join(', ')}${keys.length > MAX_KEYS ? ', …' : ''}`;
};

/**
 * A wrong plugin config. Thrown at boot (Strapi's config validator) so a typo stops the app instead of silently
 * disabling realtime. `key` is the path inside the plugin config (`contentTypes[1].actions[0]`).
 */
export class ConfigError extends Error {
  readonly key: string;
  readonly expected: string;
  /** The log-safe description of what was received, as printed in the message. */
  readonly received: string;

  constructor(key: string, expected: string, received: unknown) {
    const description = describeValue(received);
    const where = key ? ` at "${key}"` : '';
    super(`[realtime] Invalid config${where}: expected ${expected}; received ${description}.`);
    this.name = 'ConfigError';
    this.key = key;
    this.expected = expected;
    this.received = description;
  }
}
