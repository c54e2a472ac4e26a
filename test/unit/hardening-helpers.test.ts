import { describe, expect, it } from 'vitest';
import { closeReason } from '../../src/transports/close-reason';
import { measureValue } from '../../src/util/value-shape';
import { busMessageProblem } from '../../src/events/validate-bus-message';
import { createConnectionLimiter } from '../../src/transports/connection-limiter';

describe('close reasons', () => {
  it('fit 123 bytes of UTF-8 and are cut on a character boundary', () => {
    expect(closeReason('short')).toBe('short');
    for (const text of ['a'.repeat(500), 'é'.repeat(200), '😀'.repeat(100), `x${'€'.repeat(80)}`]) {
      const reason = closeReason(text);
      expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
      expect(reason.endsWith('...')).toBe(true);
      expect(Buffer.from(reason).toString()).toBe(reason);
    }
  });
});

describe('measuring untrusted values', () => {
  it('measures depth and size without recursion, stopping past the bounds', () => {
    expect(measureValue({ a: [1, { b: 2 }] }, { maxDepth: 10, maxSize: 10 })).toEqual({ depth: 3, size: 4 });
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { not: deep };
    expect(measureValue(deep, { maxDepth: 16, maxSize: 1000 }).depth).toBe(17);
    expect(measureValue(null, { maxDepth: 1, maxSize: 1 })).toEqual({ depth: 0, size: 0 });
  });
});

describe('bus messages from other nodes', () => {
  const event = {
    id: 'e1',
    uid: 'api::article.article',
    action: 'created',
    documentId: 'd1',
    locale: null,
    status: 'published',
    entry: { title: 't' },
    at: new Date(0).toISOString(),
  };
  it('accepts well-formed changes and emits', () => {
    expect(busMessageProblem({ type: 'change', event })).toBeNull();
    expect(busMessageProblem({ type: 'change', event: { ...event, action: 'deleted', entry: null } })).toBeNull();
    expect(busMessageProblem({ type: 'emit', emit: { id: 'x', uid: 'api::article.article', verb: 'ping', entry: {}, at: event.at } })).toBeNull();
  });
  it.each([
    [null, 'not an object'],
    [{ type: 'change', event: null }, 'change without an event'],
    [{ type: 'change', event: { ...event, entry: 'S' } }, 'event.entry'],
    [{ type: 'change', event: { ...event, action: 'deleted' } }, 'event.entry'],
    [{ type: 'change', event: { ...event, uid: 'nope' } }, 'event.uid'],
    [{ type: 'change', event: { ...event, status: 'other' } }, 'event.status'],
    [{ type: 'change', event: { ...event, at: 'yesterday' } }, 'event.at'],
    [{ type: 'emit', emit: { id: 'x', uid: 'api::article.article', entry: {}, at: event.at } }, 'emit.verb'],
    [{ type: 'emit', emit: { id: 'x', uid: 'api::article.article', verb: 'a:b', entry: {}, at: event.at } }, 'emit.verb'],
  ])('refuses %j (%s)', (message, problem) => expect(busMessageProblem(message)).toBe(problem));
});

describe('connection limiter', () => {
  it('holds a total and a per-address budget, and releases each ticket once', () => {
    const limiter = createConnectionLimiter({ maxConnections: 3, maxConnectionsPerAddress: 2 });
    const a1 = limiter.admit('a');
    const a2 = limiter.admit('a');
    expect(limiter.admit('a')).toMatchObject({ ok: false, refusal: { status: 429 } });
    const b1 = limiter.admit('b');
    expect(limiter.admit('c')).toMatchObject({ ok: false, refusal: { status: 503 } });
    if (!a1.ok || !a2.ok || !b1.ok) throw new Error('admitted expected');
    a1.release();
    a1.release();
    expect(limiter.stats()).toEqual({ connections: 2, addresses: 2 });
    a2.release();
    b1.release();
    expect(limiter.stats()).toEqual({ connections: 0, addresses: 0 });
  });
});
