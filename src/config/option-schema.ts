/**
 * The vocabulary the plugin's options are declared in (src/config/realtime-options.ts): each option once, with
 * its reader, its default, its documentation and the environment variable that feeds it. From that one
 * declaration come the validation and the defaults (read-options.ts), the internal config type (`ConfigOf`), and,
 * printed by `npm run generate:config` (config-reference.ts), the exported input type and the README's table.
 */

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

/** One of several shapes told apart by `kind` (`bus: { kind: 'redis', url }`); a variant that needs nothing else can be named alone (`'memory'`). */
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
