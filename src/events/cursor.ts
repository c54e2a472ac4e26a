/**
 * A position in the event log, as clients see it: `<epoch>.<major>-<minor>`, opaque to them. The epoch names one
 * life of the log (a process for the memory log, a stream for Redis): a cursor of another epoch is recognized as
 * such (the client gets a gap), never misread as a position in this one. Within an epoch positions are ordered.
 */
export interface Cursor {
  epoch: string;
  major: number;
  minor: number;
}

const FORMAT = /^([A-Za-z0-9_-]{1,64})\.(\d{1,20})-(\d{1,20})$/;

export const formatCursor = ({ epoch, major, minor }: Cursor): string => `${epoch}.${major}-${minor}`;

/** The cursor a client sent, or null when it is not one (wrong type, garbage, too long). */
export const parseCursor = (value: unknown): Cursor | null => {
  if (typeof value !== 'string' || value.length > 128) return null;
  const match = FORMAT.exec(value);
  if (!match) return null;
  const major = Number(match[2]);
  const minor = Number(match[3]);
  return Number.isSafeInteger(major) && Number.isSafeInteger(minor) ? { epoch: match[1], major, minor } : null;
};

/** Negative, zero or positive as `a` is before, at or after `b` (same epoch only). */
export const compareCursors = (a: Cursor, b: Cursor): number => a.major - b.major || a.minor - b.minor;

/** A fresh epoch name: random, so two lives of a log never share one. */
export const newEpoch = (): string => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
