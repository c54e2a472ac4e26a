import type { Log } from '../log';

/**
 * Tracing of one event along the delivery path, to answer "why did this subscriber not get that event": captured,
 * appended (cursor), then per group or audience: not in view, other document or locale, no permission, filtered
 * out, written (to how many) or skipped (catching up, already had it). Off by default; `REALTIME_TRACE=1` turns it
 * on (lines at info level, prefixed `trace`). Call sites check `enabled` first, so it costs a boolean test when off.
 */
export interface Tracer {
  readonly enabled: boolean;
  /** One step of one event (`subject` is the event id or cursor). */
  step(subject: string, stage: string, detail?: string): void;
}

export const createTracer = (options: { enabled: boolean; log: Log }): Tracer => ({
  enabled: options.enabled,
  step(subject, stage, detail) {
    if (options.enabled) options.log.info(`trace ${subject} ${stage}${detail ? ` ${detail}` : ''}`);
  },
});

/** Whether the environment asks for tracing. */
export const tracingRequested = (env: Record<string, string | undefined>) => ['1', 'true', 'yes'].includes((env.REALTIME_TRACE ?? '').toLowerCase());
