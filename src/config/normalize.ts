/**
 * Turns the user's plugin config (our shape, plugin-io v5's or strapi-plugin-io v4's) into one `RealtimeConfig`,
 * reading every option as realtime-options.ts declares it. Pure: no Strapi access, so it runs in Strapi's config
 * validator at boot and in unit tests. Every wrong input throws a `ConfigError` naming the exact key; nothing is
 * silently dropped except v4 read actions (a warning).
 */
import { ConfigError } from './config-error';
import type { ConfigEnv } from './option-schema';
import { expectKnownKeys, isPlainObject, readFields, topLevelAliases } from './read-options';
import { REALTIME_OPTIONS } from './realtime-options';
import type { RealtimeConfig } from './types';

export interface NormalizedConfig {
  config: RealtimeConfig;
  /** Accepted but ignored input (e.g. v4 `find` actions), worth a warning at register (the log adds `[realtime]`). */
  warnings: string[];
}

/** Our options, then plugin-io's top-level spellings of Socket.IO options (`events`, `hooks`, v4's `IOServerOptions`, ...). */
const TOP_LEVEL_KEYS = [...Object.keys(REALTIME_OPTIONS), ...topLevelAliases(REALTIME_OPTIONS)];

/**
 * Normalizes and validates the plugin config, collecting warnings for input that is accepted but ignored.
 * `env` decides environment-dependent defaults (GraphiQL off in production, tokens from the environment); pass
 * `process.env` from Strapi.
 */
export function normalizeConfigWithWarnings(raw: unknown, env: ConfigEnv = process.env): NormalizedConfig {
  if (raw !== undefined && raw !== null && !isPlainObject(raw)) throw new ConfigError('', 'the plugin config to be an object', raw);
  const root = raw ?? {};
  expectKnownKeys(root, '', TOP_LEVEL_KEYS);
  const warnings: string[] = [];
  const config: RealtimeConfig = readFields(REALTIME_OPTIONS, root, '', { env, warnings, root });
  return { config, warnings };
}

/** `normalizeConfigWithWarnings` without the warnings (validator, tests). Throws `ConfigError` on bad input. */
export function normalizeConfig(raw: unknown, env?: ConfigEnv): RealtimeConfig {
  return normalizeConfigWithWarnings(raw, env).config;
}
