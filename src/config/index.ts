import { normalizeConfig } from './normalize';

export * from './types';
export { ConfigError, describeValue } from './config-error';
export { DEFAULT_REDIS_STREAM, DEFAULT_SENSITIVE_FIELDS, defaultConfig, MIN_METRICS_TOKEN_LENGTH, type ConfigEnv } from './defaults';
export { normalizeConfig, normalizeConfigWithWarnings, type NormalizedConfig } from './normalize';

/**
 * The plugin's `config` export. `default` stays `{}`: Strapi deep-merges it into the user config with lodash,
 * which would merge our arrays into theirs; defaults are applied by `normalizeConfig` instead. The validator
 * runs at boot with the user config; a `ConfigError` stops boot with the key that is wrong.
 */
export const pluginConfig = {
  default: {},
  validator(config: unknown) {
    normalizeConfig(config);
  },
};
