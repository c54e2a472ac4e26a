/**
 * Reads user config as the options declare it: every key checked (a typo is an error naming it, with the near miss),
 * every value read by its type at its key path, defaults for what is missing, plugin-io's top-level spellings
 * honoured. Errors are ConfigErrors naming the exact key (`contentTypes[1].actions[0]`).
 */
import { ConfigError } from './config-error';
import type { ConfigEnv, Fields, OptionSpec, ReadContext, SectionConfig, SectionSpec, Spec, VariantsSpec } from './option-schema';

export type Obj = Record<string, unknown>;

export const isPlainObject = (value: unknown): value is Obj => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** `contentTypes` + 1 -> `contentTypes[1]`; `socket` + `events` -> `socket.events`; odd keys are quoted. */
export const at = (path: string, key: string | number): string => {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (!/^[A-Za-z_$][\w$-]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path ? `${path}.${key}` : key;
};

export const expectObject = (value: unknown, key: string, expected = 'an object'): Obj => {
  if (!isPlainObject(value)) throw new ConfigError(key, expected, value);
  return value;
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

/** Typos must not pass silently: any key outside `allowed` is an error at that key. */
export const expectKnownKeys = (obj: Obj, path: string, allowed: readonly string[]) => {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    const guess = allowed.find((candidate) => isNearMiss(key, candidate));
    const hint = guess ? ` (did you mean "${guess}"?)` : '';
    throw new ConfigError(at(path, key), `one of the options ${allowed.join(', ')}${hint}`, obj[key]);
  }
};

/** Plugin-io's top-level spellings (`events`, `IOServerOptions`, ...) of options anywhere in the fields. */
export const topLevelAliases = (fields: Fields): string[] =>
  Object.values(fields).flatMap((spec) =>
    spec.kind === 'option' ? (spec.topLevelAlias ? [spec.topLevelAlias] : []) : spec.kind === 'section' ? topLevelAliases(spec.fields as Fields) : [],
  );

/** What a section accepts, as errors say it: `{ points, windowMs }`, or with the shorthand "an object, true or false". */
const sectionExpected = (spec: SectionSpec<Fields>) =>
  spec.enabledShorthand ? 'an object, true or false' : `{ ${Object.keys(spec.fields).join(', ')} }`;

const defaultOf = (spec: OptionSpec<unknown>, env: ConfigEnv): unknown => {
  const value = typeof spec.default === 'function' ? (spec.default as (env: ConfigEnv) => unknown)(env) : spec.default;
  // A fresh copy each time: callers may not corrupt the next normalization through a shared array or object.
  return value !== null && typeof value === 'object' ? structuredClone(value) : value;
};

/** Reads every field of `obj` (a section's value) at `path`, defaults for the missing ones. */
export const readFields = <F extends Fields>(fields: F, obj: Obj, path: string, context: ReadContext): SectionConfig<F> => {
  const result: Obj = {};
  for (const [name, spec] of Object.entries(fields)) {
    const key = at(path, name);
    const alias = spec.kind === 'option' ? spec.topLevelAlias : undefined;
    if (alias !== undefined && context.root[alias] !== undefined) {
      // Both spellings at once is ambiguous; errors name the key the user wrote (`events[0].handler`).
      if (obj[name] !== undefined) throw new ConfigError(alias, `only one of "${alias}" and "${key}"`, context.root[alias]);
      result[name] = readSpec(spec, context.root[alias], alias, context);
    } else {
      result[name] = readSpec(spec, obj[name], key, context);
    }
  }
  return result as SectionConfig<F>;
};

const readSection = (spec: SectionSpec<Fields>, value: unknown, key: string, context: ReadContext) => {
  const obj = value === undefined ? {} : spec.enabledShorthand && typeof value === 'boolean' ? { enabled: value } : expectObject(value, key, sectionExpected(spec));
  expectKnownKeys(obj, key, Object.keys(spec.fields));
  const read = readFields(spec.fields, obj, key, context);
  return spec.finish ? spec.finish(read, key, context) : read;
};

/** Whether every field has a default (such a section or variant can be selected with nothing set). */
const allDefaulted = (fields: Fields) => Object.values(fields).every((spec) => spec.kind !== 'option' || 'default' in spec);

const readVariant = (spec: VariantsSpec<{ [kind: string]: Fields }>, value: unknown, key: string, context: ReadContext) => {
  const kinds = Object.keys(spec.variants);
  // A variant's name alone (`bus: 'memory'`) selects it when it needs nothing else.
  const named = typeof value === 'string' && kinds.includes(value) && allDefaulted(spec.variants[value]) ? value : null;
  const chosen = value === undefined ? spec.default : named;
  const obj: Obj = chosen !== null ? { kind: chosen } : expectObject(value, key, spec.expected);
  const kind = obj.kind;
  if (typeof kind !== 'string' || !kinds.includes(kind)) throw new ConfigError(at(key, 'kind'), kinds.map((name) => JSON.stringify(name)).join(' or '), kind);
  const fields = spec.variants[kind];
  expectKnownKeys(obj, key, ['kind', ...Object.keys(fields)]);
  return { kind, ...readFields(fields, obj, key, context) };
};

/** Reads one option, section or variant at `key` (undefined: its default). */
export const readSpec = (spec: Spec, value: unknown, key: string, context: ReadContext): unknown => {
  if (spec.kind === 'section') return readSection(spec, value, key, context);
  if (spec.kind === 'variants') return readVariant(spec, value, key, context);
  return value === undefined && 'default' in spec ? defaultOf(spec, context.env) : spec.type.read(value, key, context);
};

/** The defaults of a set of fields, as the config resolves them when nothing is set (required options are left out). */
export const defaultsOf = <F extends Fields>(fields: F, env: ConfigEnv = {}): Partial<SectionConfig<F>> => {
  const defaulted = Object.fromEntries(Object.entries(fields).filter(([, spec]) => spec.kind !== 'option' || 'default' in spec));
  return readFields(defaulted, {}, '', { env, warnings: [], root: {} }) as Partial<SectionConfig<F>>;
};
