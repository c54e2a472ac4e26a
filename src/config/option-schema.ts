/**
 * The vocabulary the plugin's options are declared in (src/config/realtime-options.ts): each option once, with
 * its reader, its default, its documentation and the environment variable that feeds it. From that one
 * declaration come the validation (`readOptions`), the defaults (`defaultsOf`), the internal config type
 * (`ConfigOf`), and, printed by `npm run generate:config`, the exported input type and the README's table.
 */
import { ConfigError } from './config-error';

/** The environment the config reads (process.env in Strapi). */
export type ConfigEnv = Readonly<Record<string, string | undefined>>;

/** What every reader may look at besides its value. */
export interface ReadContext {
  env: ConfigEnv;
  /** Accepted but ignored input, worth a warning at register (never prefixed: the log adds `[realtime]`). */
  warnings: string[];
  /** The whole user config, for options plugin-io spells at the top level. */
  root: Record<string, unknown>;
}

/** Checks one value found at `key` (a path like `socket.events[0]`) and returns it typed; throws a ConfigError naming `key`. */
export type Read<T> = (value: unknown, key: string, context: ReadContext) => T;

/** A kind of value: how it is read, and how documentation and the input type describe it. */
export interface ValueType<T> {
  read: Read<T>;
  /** The TypeScript type users write in `config/plugins.ts` (printed into RealtimePluginConfig). */
  input: string;
  /** What a valid value is, as errors say it ("a positive integer"). */
  expected: string;
  /** Named types `input` refers to, declared beside RealtimePluginConfig (`RealtimeAction`). */
  declarations?: Record<string, string>;
}

export interface OptionSpec<T> {
  kind: 'option';
  type: ValueType<T>;
  /** One or two sentences for TSDoc and the README: what the option does. */
  doc: string;
  /** Used when the config does not set the option; a function when it depends on the environment. No default: required. */
  default?: T | ((env: ConfigEnv) => T);
  /** The default as docs show it, when the value alone would not say it (environment-dependent, long lists). */
  defaultDoc?: string;
  /** The environment variable that feeds the option when the config does not set it (read by `default`). */
  env?: string;
  /** plugin-io's spelling of this option at the top level of the config (`events` for `socket.events`). */
  topLevelAlias?: string;
  /** For a list of objects: the fields of one object, documented under `<option>[].<field>` and typed as `typeName`. */
  items?: { typeName: string; fields: Fields };
  /** A credential: never shown (the admin page's configuration view masks it). */
  secret?: boolean;
}

export type Fields = { readonly [name: string]: Spec };

export interface SectionSpec<F extends Fields> {
  kind: 'section';
  doc: string;
  fields: F;
  /** `true` / `false` stand for `{ enabled: true/false }` (`graphql: false`). */
  enabledShorthand?: boolean;
  /** Rules across fields, once each field was read (e.g. metrics: enabled needs a token). */
  finish?: (value: SectionConfig<F>, key: string, context: ReadContext) => SectionConfig<F>;
}

/** One of several shapes told apart by `kind` (`bus: { kind: 'redis', url }`); a variant's name alone also selects it. */
export interface VariantsSpec<V extends { readonly [kind: string]: Fields }> {
  kind: 'variants';
  doc: string;
  variants: V;
  default: keyof V & string;
  /** What a valid value is, as errors say it. */
  expected: string;
}

export type Spec = OptionSpec<any> | SectionSpec<any> | VariantsSpec<any>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type SectionConfig<F extends Fields> = Simplify<{ -readonly [K in keyof F]: ConfigOf<F[K]> }>;
type VariantsConfig<V extends { readonly [kind: string]: Fields }> = {
  [K in keyof V & string]: Simplify<{ kind: K } & SectionConfig<V[K]>>;
}[keyof V & string];

/** The resolved (normalized) value of an option or section: what the rest of the plugin reads. */
export type ConfigOf<S> =
  S extends OptionSpec<infer T> ? T : S extends SectionSpec<infer F> ? SectionConfig<F> : S extends VariantsSpec<infer V> ? VariantsConfig<V> : never;

export const option = <T>(spec: Omit<OptionSpec<T>, 'kind'>): OptionSpec<T> => ({ kind: 'option', ...spec });

export const section = <F extends Fields>(spec: Omit<SectionSpec<F>, 'kind'>): SectionSpec<F> => ({ kind: 'section', ...spec });

export const variants = <V extends { readonly [kind: string]: Fields }>(spec: Omit<VariantsSpec<V>, 'kind'>): VariantsSpec<V> => ({ kind: 'variants', ...spec });

// ---------------------------------------------------------------------------------------------------------------

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
export const sectionExpected = (spec: SectionSpec<Fields>) =>
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
