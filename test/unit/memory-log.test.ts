import { describe, expect, it } from 'vitest';
import { createMemoryLog } from '../../src/bus/memory-log';
import { compareCursors, formatCursor, parseCursor } from '../../src/events/cursor';
import type { BusMessage } from '../../src/events/change-event';
import type { LogRecord } from '../../src/events/log-record';
import { resumableSubscription } from '../../client/resume';

const emit = (verb: string): BusMessage => ({ type: 'emit', emit: { id: verb, uid: 'api::article.article', verb, entry: {}, at: new Date(0).toISOString() } });
const verbOf = (record: LogRecord) => (record.kind === 'message' && record.message.type === 'emit' ? record.message.emit.verb : record.kind);

describe('cursors', () => {
  it('round-trip, order within an epoch, and refuse anything else', () => {
    const cursor = { epoch: 'abc', major: 12, minor: 3 };
    expect(parseCursor(formatCursor(cursor))).toEqual(cursor);
    expect(compareCursors(cursor, { ...cursor, minor: 4 })).toBeLessThan(0);
    for (const bad of [null, 42, '', 'abc', 'abc.1', 'a b.1-2', `x.${'9'.repeat(30)}-1`, 'x'.repeat(200)]) expect(parseCursor(bad)).toBeNull();
  });
});

describe('memory event log', () => {
  const open = (maxEvents: number, maxAgeMs = 60_000, clock = { now: 0 }) => {
    const log = createMemoryLog({ maxEvents, maxAgeMs, onListenerError: () => undefined, now: () => clock.now });
    const seen: LogRecord[] = [];
    log.subscribe((record) => seen.push(record));
    return { log, seen, clock };
  };

  it('delivers appends in order, after the caller (on a microtask), with increasing cursors', async () => {
    const { log, seen } = open(10);
    log.append(emit('a'));
    log.append(emit('b'));
    expect(seen).toEqual([]);
    await Promise.resolve();
    expect(seen.map(verbOf)).toEqual(['a', 'b']);
    expect(compareCursors(seen[0].cursor, seen[1].cursor)).toBeLessThan(0);
    expect(log.head()).toBe(seen[1].id);
  });

  it('reads after a cursor; what it no longer keeps (count or age) is expired; another life is unknown', async () => {
    const { log, seen, clock } = open(3, 1000);
    for (const verb of ['a', 'b', 'c', 'd', 'e']) log.append(emit(verb));
    await Promise.resolve();
    // Kept: c, d, e. After b nothing is missing; after a, b is gone.
    const after = await log.readAfter(seen[1].id);
    expect(after.ok && after.records.map(verbOf)).toEqual(['c', 'd', 'e']);
    expect(await log.readAfter(seen[0].id)).toMatchObject({ ok: false, reason: 'expired', head: seen[4].id });
    expect(await log.readAfter(seen[4].id)).toEqual({ ok: true, records: [] });
    clock.now = 5000;
    expect(await log.readAfter(seen[2].id)).toMatchObject({ ok: false, reason: 'expired' });
    const other = open(3);
    other.log.append(emit('x'));
    await Promise.resolve();
    expect(await log.readAfter(other.seen[0].id)).toMatchObject({ ok: false, reason: 'unknown-log' });
    expect(await log.readAfter('nonsense')).toMatchObject({ ok: false, reason: 'invalid-cursor' });
  });

  it('with replay off (maxEvents 0) every resume is a gap, live delivery unchanged', async () => {
    const { log, seen } = open(0);
    log.append(emit('a'));
    log.append(emit('b'));
    await Promise.resolve();
    expect(seen.map(verbOf)).toEqual(['a', 'b']);
    expect(await log.readAfter(seen[0].id)).toMatchObject({ ok: false, reason: 'expired' });
    expect(log.stats()).toMatchObject({ kind: 'memory', retained: 0 });
  });
});

describe('client resume state', () => {
  it('keeps the last cursor in the payload the transports send again, starts from the head, reports gaps', () => {
    const resumable = resumableSubscription({ query: 'subscription { x }', operationName: 'X' });
    resumable.startFrom('e.1-0');
    expect(resumable.wire.extensions).toEqual({ cursor: 'e.1-0' });
    expect(resumable.observe({ extensions: { cursor: 'e.5-0' } })).toBeNull();
    resumable.startFrom('e.9-0');
    expect(resumable.cursor).toBe('e.5-0');
    expect(resumable.observe({ errors: [{}], extensions: { cursor: 'e.9-0', gap: { reason: 'expired' } } })).toEqual({ reason: 'expired', cursor: 'e.9-0', operationName: 'X' });
    expect(resumable.wire.extensions).toEqual({ cursor: 'e.9-0' });
  });
});
