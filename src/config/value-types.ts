/**
 * The kinds of values options take: each reads one value at one key path, and throws a ConfigError naming that
 * path when the value is wrong. `input` is the TypeScript type users write, `expected` what errors say.
 */
import { isIP } from 'node:net';
import { ConfigError } from './config-error';
import type { Read, ValueType } from './option-schema';
import { at, expectKnownKeys, expectObject, isPlainObject, type Obj } from './read-options';

export const valueType = <T>(input: string, expected: string, read: Read<T>): ValueType<T> => ({ input, expected, read });

/** The same values, for an option whose default is `null` (none): users still cannot write `null`. */
export const orNull = <T>(type: ValueType<T>): ValueType<T | null> => type;

/** The same values, for an option whose default is `undefined` (decided elsewhere). */
export const orUndefined = <T>(type: ValueType<T>): ValueType<T | undefined> => type;

/** A reader that only checks a condition on the value and returns it as is. */
const checked = <T>(input: string, expected: string, accepts: (value: unknown) => boolean): ValueType<T> =>
  valueType(input, expected, (value, key) => {
    if (!accepts(value)) throw new ConfigError(key, expected, value);
    return value as T;
  });

export const booleanValue: ValueType<boolean> = checked('boolean', 'true or false', (value) => typeof value === 'boolean');

export const stringValue = (expected = 'a non-empty string'): ValueType<string> =>
  checked('string', expected, (value) => typeof value === 'string' && value.trim() !== '');

export const fieldName = stringValue('a field name');

/** Limits, sizes and durations: finite integers, at least 1. */
export const positiveInteger: ValueType<number> = checked('number', 'a positive integer', (value) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 1);

/** Like `positiveInteger`, for values where 0 means "off" (`keepAliveMs`, `eventLogSize`). */
export const count: ValueType<number> = checked('number', 'a non-negative integer', (value) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0);

/** An absolute URL path without query or fragment. */
export const urlPath: ValueType<string> = checked('string', 'a path starting with "/" (no spaces, "?" or "#")', (value) => typeof value === 'string' && /^\/[^\s?#]*$/.test(value));

export const functionValue = <F>(input: string): ValueType<F> => checked(input, 'a function', (value) => typeof value === 'function');

export const listOf = <T>(item: ValueType<T>, expected = 'an array'): ValueType<T[]> =>
  valueType(`${item.input.includes(' ') ? `(${item.input})` : item.input}[]`, expected, (value, key, context) => {
    if (!Array.isArray(value)) throw new ConfigError(key, expected, value);
    return value.map((entry, index) => item.read(entry, at(key, index), context));
  });

/** An IPv4/IPv6 address or a CIDR block (`10.0.0.0/8`, `fd00::/8`). */
export const ipRule: ValueType<string> = checked('string', 'an IP address or CIDR block (e.g. "10.0.0.0/8")', (value) => {
  if (typeof value !== 'string') return false;
  const [address, prefix, ...rest] = value.split('/');
  const version = isIP(address);
  const maxPrefix = version === 4 ? 32 : 128;
  const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
  return version !== 0 && prefixOk && rest.length === 0;
});

export const redisUrl: ValueType<string> = checked(
  'string',
  'a redis:// or rediss:// URL',
  (value) => typeof value === 'string' && URL.canParse(value) && ['redis:', 'rediss:'].includes(new URL(value).protocol),
);

/** Never echoes a token back: a wrong one is described by its length only (errors end up in logs). */
export const bearerToken = (minLength: number): ValueType<string> => {
  const expected = `a bearer token of at least ${minLength} characters without spaces`;
  return valueType('string', expected, (value, key) => {
    if (typeof value !== 'string') throw new ConfigError(key, expected, value);
    if (value.length < minLength || /\s/.test(value)) throw new ConfigError(key, expected, `(hidden: ${value.length} characters)`);
    return value;
  });
};

/** Plain objects merge key by key (like Strapi's defaultsDeep for plugin-io); anything else replaces. */
const mergeDeep = (base: Obj, override: Obj): Obj => {
  const merged: Obj = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = isPlainObject(value) && isPlainObject(base[key]) ? mergeDeep(base[key], value) : value;
  }
  return merged;
};

/** An object merged over `defaults` key by key; its `path`, if any, must be a URL path. */
export const mergedObject = <T extends object>(input: string, defaults: T): ValueType<T> =>
  valueType(input, 'an object', (value, key, context) => {
    const obj = expectObject(value, key);
    if (obj.path !== undefined) urlPath.read(obj.path, at(key, 'path'), context);
    return mergeDeep(structuredClone(defaults) as Obj, obj) as T;
  });

/** A small object with known keys, each read by its own value type (missing keys are left out). */
export const objectValue = <T extends object>(input: string, expected: string, keys: { [K in keyof T & string]: ValueType<T[K]> }, required: (keyof T & string)[] = []): ValueType<T> =>
  valueType(input, expected, (value, key, context) => {
    const obj = expectObject(value, key, expected);
    expectKnownKeys(obj, key, Object.keys(keys));
    const result: Obj = {};
    for (const [name, type] of Object.entries<ValueType<unknown>>(keys)) {
      if (obj[name] !== undefined || required.includes(name as keyof T & string)) result[name] = type.read(obj[name], at(key, name), context);
    }
    return result as T;
  });
