import { describe, expect, it } from 'vitest';
import { createLatencyHistogram, histogramQuantile } from '../../src/observability/latency-histogram';
import { createRateSeries } from '../../src/observability/rate-series';
import { createRecentEvents } from '../../src/observability/recent-events';
import { createObservability, RECENT_EVENTS_LIMIT } from '../../src/observability/observability';
import { refusalReason } from '../../src/observability/vocabulary';
import type { ChangeEvent } from '../../src/events/change-event';

const event = (id: string, at = new Date(0).toISOString()): ChangeEvent => ({
  id,
  uid: 'api::article.article',
  action: 'created',
  documentId: `doc-${id}`,
  locale: null,
  status: 'published',
  entry: { title: 'secret title' },
  at,
});

describe('latency histogram', () => {
  it('keeps cumulative buckets, sum and count, with weighted observations', () => {
    const histogram = createLatencyHistogram([0.01, 0.1, 1]);
    histogram.observe(0.005);
    histogram.observe(0.05, 3);
    histogram.observe(5);
    histogram.observe(Number.NaN);
    histogram.observe(0.5, 0);
    expect(histogram.snapshot()).toEqual({
      buckets: [
        { le: 0.01, count: 1 },
        { le: 0.1, count: 4 },
        { le: 1, count: 4 },
        { le: Infinity, count: 5 },
      ],
      sum: 0.005 + 0.15 + 5,
      count: 5,
    });
  });

  it('estimates quantiles like histogram_quantile', () => {
    const histogram = createLatencyHistogram([0.01, 0.1, 1]);
    expect(histogramQuantile(histogram.snapshot(), 0.5)).toBeNull();
    histogram.observe(0.05, 10);
    // All ten in (0.01, 0.1]: the median is interpolated halfway.
    expect(histogramQuantile(histogram.snapshot(), 0.5)).toBeCloseTo(0.055);
    histogram.observe(30, 10);
    expect(histogramQuantile(histogram.snapshot(), 0.99)).toBe(1);
  });
});

describe('rate series', () => {
  it('counts per second over a fixed window, oldest first, old seconds overwritten', () => {
    let now = 1_000_000;
    const series = createRateSeries(['a', 'b'] as const, 3, () => now);
    series.add('a', 2);
    series.add('b');
    now += 1000;
    series.add('a');
    expect(series.points()).toEqual([
      { t: 999, a: 0, b: 0 },
      { t: 1000, a: 2, b: 1 },
      { t: 1001, a: 1, b: 0 },
    ]);
    now += 5000;
    series.add('b', 4);
    expect(series.points()).toEqual([
      { t: 1004, a: 0, b: 0 },
      { t: 1005, a: 0, b: 0 },
      { t: 1006, a: 0, b: 4 },
    ]);
  });
});

describe('recent events', () => {
  it('keeps the last ones, newest first, with their reach and no field values', () => {
    const recent = createRecentEvents(2);
    recent.add(event('1'));
    recent.add(event('2'));
    recent.reached('2', 'graphql-ws', 'role:1', 3);
    recent.reached('2', 'socket.io', 'role:1', 2);
    recent.reached('2', 'socket.io', 'role:2', 1);
    recent.add(event('3'));
    recent.reached('1', 'graphql-ws', 'role:1', 1); // evicted: ignored
    const list = recent.list();
    expect(list.map((entry) => entry.id)).toEqual(['3', '2']);
    expect(list[1]).toMatchObject({ audiences: 2, subscribers: 6, subscribersByTransport: { 'graphql-ws': 3, 'graphql-sse': 0, 'socket.io': 3 } });
    expect(JSON.stringify(list)).not.toContain('secret title');
  });
});

describe('observability sink', () => {
  it('counts captures, deliveries with their capture-to-write latency, refusals and errors', () => {
    let now = Date.parse('2026-01-01T00:00:10.000Z');
    const sink = createObservability({ eventLogSize: 10, now: () => now });
    const change = event('e1', '2026-01-01T00:00:09.950Z');
    sink.captured(change);
    sink.captured(change);
    sink.received({ type: 'change', event: change });
    sink.delivered('graphql-ws', change, 'role:1');
    now += 1000;
    sink.delivered('socket.io', change, 'role:2', 4);
    sink.slowClientClosed('graphql-sse');
    sink.connectionRefused('socket.io', 'TOKEN_EXPIRED');
    sink.connectionRefused('socket.io', 'TOKEN_EXPIRED');
    sink.connectionRefused('graphql-sse', 'INTERNAL_SERVER_ERROR');
    sink.connectionRefused('graphql-ws', 'something a client made up');
    sink.error('delivery');

    const counters = sink.counters();
    expect(counters.eventsCaptured).toEqual([{ uid: 'api::article.article', action: 'created', count: 2 }]);
    expect(counters.eventsReceived).toBe(1);
    expect(counters.deliveries).toEqual({ 'graphql-ws': 1, 'graphql-sse': 0, 'socket.io': 4 });
    expect(counters.deliveryLatency['graphql-ws']).toMatchObject({ count: 1, sum: 0.05 });
    expect(counters.deliveryLatency['socket.io']).toMatchObject({ count: 4, sum: 4 * 1.05 });
    expect(counters.slowClientCloses['graphql-sse']).toBe(1);
    expect(counters.refusedConnections).toEqual([
      { transport: 'socket.io', reason: 'token_expired', count: 2 },
      { transport: 'graphql-sse', reason: 'internal_error', count: 1 },
      { transport: 'graphql-ws', reason: 'other', count: 1 },
    ]);
    expect(counters.errors).toEqual({ sanitize: 0, delivery: 1, internal: 1, rate_limited: 0 });
    expect(sink.recentEvents()[0]).toMatchObject({ id: 'e1', audiences: 2, subscribers: 5 });
    expect(sink.series().at(-2)).toMatchObject({ events: 1, deliveries: 1 });
    expect(sink.series().at(-1)).toMatchObject({ events: 0, deliveries: 4 });
  });

  it("keeps plugin-io's event log working (the monitoring service reads it)", () => {
    const sink = createObservability({ eventLogSize: 2 });
    sink.logEvent('connection', { transport: 'socket.io' });
    sink.logEvent('create', {});
    sink.logEvent('custom', { a: 1 });
    expect(sink.getEventStats()).toMatchObject({ totalEvents: 3, eventsByType: { connection: 1, create: 1, custom: 1 } });
    expect(sink.getEventLog(10).map((entry) => entry.type)).toEqual(['create', 'custom']);
    sink.resetStats();
    expect(sink.getEventLog()).toEqual([]);
  });

  it('bounds the recent event list', () => {
    const sink = createObservability({ eventLogSize: 0 });
    for (let i = 0; i < RECENT_EVENTS_LIMIT + 5; i++) sink.received({ type: 'change', event: event(String(i)) });
    expect(sink.recentEvents()).toHaveLength(RECENT_EVENTS_LIMIT);
    expect(sink.recentEvents(3).map((entry) => entry.id)).toEqual(['104', '103', '102']);
  });
});

describe('refusal reasons', () => {
  it('maps error codes to a fixed list', () => {
    expect(refusalReason('INVALID_TOKEN')).toBe('invalid_token');
    expect(refusalReason('IP_NOT_ALLOWED')).toBe('ip_not_allowed');
    expect(refusalReason('INTERNAL_ERROR')).toBe('internal_error');
    expect(refusalReason('<script>')).toBe('other');
  });
});
