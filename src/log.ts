/** What the plugin logs through. Every line carries the `[realtime]` prefix once, added here and nowhere else. */
export interface Log {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string, error?: unknown): void;
  /** With an error, its stack follows the message (never just `String(error)`, which loses where it came from). */
  error(message: string, error?: unknown): void;
}

type Sink = { debug(message: string): void; info(message: string): void; warn(message: string): void; error(message: string): void };

const PREFIX = '[realtime] ';

/** `message: stack` (or the value itself when something other than an Error was thrown). */
export const describeError = (error: unknown): string => {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  try {
    return typeof error === 'string' ? error : JSON.stringify(error);
  } catch {
    return String(error);
  }
};

const withError = (message: string, error: unknown) => (error === undefined ? message : `${message}: ${describeError(error)}`);

export const createLog = (sink: Sink): Log => ({
  debug: (message) => sink.debug(PREFIX + message),
  info: (message) => sink.info(PREFIX + message),
  warn: (message, error) => sink.warn(PREFIX + withError(message, error)),
  error: (message, error) => sink.error(PREFIX + withError(message, error)),
});
