import type { ConfigEnv } from './option-schema';
import { defaultsOf } from './read-options';
import { REALTIME_OPTIONS } from './realtime-options';
import type { RealtimeConfig } from './types';

export { DEFAULT_REDIS_STREAM, DEFAULT_SENSITIVE_FIELDS, MIN_METRICS_TOKEN_LENGTH } from './realtime-options';
export type { ConfigEnv } from './option-schema';

/** A fresh default config (no shared mutable arrays/objects between calls); `env` decides GraphiQL and env tokens. */
export const defaultConfig = (env: ConfigEnv = {}): RealtimeConfig => defaultsOf(REALTIME_OPTIONS, env) as RealtimeConfig;
