/**
 * The Prometheus endpoint against the real example app: refused without the bearer token, a valid text
 * exposition with it, counters and gauges that follow real clients (graphql-ws, SSE, Socket.IO) and real REST
 * writes, bounded labels, and a registry per app (two apps in one process, the token from the environment).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { createApiToken, grant, type TestApiToken } from '../harness/principals';
import { expectOk, rest } from '../harness/rest';
import { connectSse, connectWs } from '../harness/graphql-clients';
import { closeAllClients, connectClient, connectRefused, nextEvent } from '../harness/socket-client';
import { READ_EVERYTHING } from '../harness/permission-matrix';
import { parseExposition, sampleValue, type Family } from '../harness/prometheus-exposition';
import { settle, waitFor } from '../harness/wait';

const TOKEN = 'metrics-test-token-0123456789abcdef';
const ARTICLE = 'api::article.article';

const scrapeRaw = (app: ExampleApp, authorization?: string, path = '/realtime/metrics') =>
  fetch(`${app.httpUrl}${path}`, { headers: authorization ? { authorization } : {} });

const scrape = async (app: ExampleApp, token = TOKEN) => {
  const response = await scrapeRaw(app, `Bearer ${token}`);
  expect(response.status).toBe(200);
  return parseExposition(await response.text());
};

describe('Prometheus metrics (GET /realtime/metrics)', () => {
  let app: ExampleApp;
  let writer: TestApiToken;
  const clients: { dispose(): void }[] = [];

  beforeAll(async () => {
    app = await bootExample({ realtimeConfig: { metrics: { enabled: true, token: TOKEN } } });
    writer = await createApiToken(app.strapi, 'full-access');
    await grant(app.strapi, 'public', READ_EVERYTHING);
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.dispose();
    closeAllClients();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('refuses scrapers without the bearer token', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789abcdef', `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`, TOKEN, `Bearer ${writer.accessKey}`]) {
      const response = await scrapeRaw(app, authorization);
      expect(response.status, String(authorization)).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="realtime metrics"');
      expect(await response.text()).not.toContain('realtime_');
    }
  });

  it('serves a valid text exposition with the conventional families and the process metrics', async () => {
    const response = await scrapeRaw(app, `Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const families = parseExposition(await response.text());
    const types = Object.fromEntries([...families.values()].map((family) => [family.name, family.type]));
    expect(types).toMatchObject({
      realtime_connections: 'gauge',
      realtime_subscriptions: 'gauge',
      realtime_subscription_groups: 'gauge',
      realtime_audiences: 'gauge',
      realtime_events_captured_total: 'counter',
      realtime_events_processed_total: 'counter',
      realtime_deliveries_total: 'counter',
      realtime_delivery_latency_seconds: 'histogram',
      realtime_sanitize_calls_total: 'counter',
      realtime_authorization_cache_hits_total: 'counter',
      realtime_authorization_cache_misses_total: 'counter',
      realtime_slow_client_closes_total: 'counter',
      realtime_connections_refused_total: 'counter',
      realtime_errors_total: 'counter',
      realtime_delivery_pending_events: 'gauge',
      realtime_delivery_conflated_total: 'counter',
      realtime_delivery_overflowed_total: 'counter',
      realtime_delivery_yields_total: 'counter',
      realtime_outgoing_buffered_bytes: 'gauge',
      realtime_outgoing_budget_closes_total: 'counter',
      // prom-client's default metrics, on this app's own registry.
      process_cpu_user_seconds_total: 'counter',
      process_resident_memory_bytes: 'gauge',
      nodejs_eventloop_lag_seconds: 'gauge',
      nodejs_heap_size_used_bytes: 'gauge',
    });
    for (const family of families.values()) expect(family.help, family.name).not.toBe('');
    // Every transport has its series from the first scrape (zero until something happens).
    for (const transport of ['graphql-ws', 'graphql-sse', 'socket.io']) {
      expect(families.get('realtime_connections')!.samples.some((s) => s.labels.transport === transport)).toBe(true);
      expect(families.get('realtime_deliveries_total')!.samples.some((s) => s.labels.transport === transport)).toBe(true);
      expect(sampleValue(families, 'realtime_delivery_latency_seconds_bucket', { transport, le: '+Inf' })).toBeGreaterThanOrEqual(0);
    }
    expect(families.get('realtime_errors_total')!.samples.map((s) => s.labels.kind).sort()).toEqual(['delivery', 'internal', 'rate_limited', 'sanitize']);
    // One delivery queue per running transport family.
    expect(families.get('realtime_delivery_pending_events')!.samples.map((s) => s.labels.queue).sort()).toEqual(['graphql', 'socket.io']);
  });

  it('follows real clients and writes: connections, subscriptions, events captured, deliveries, latency, pipeline counters', async () => {
    const before = await scrape(app);

    const ws = connectWs(app);
    clients.push(ws);
    const overWs = ws.subscribe(`subscription { articleCreated { documentId title } }`);
    const sse = connectSse(app);
    clients.push(sse);
    const overSse = sse.subscribe(`subscription { articleCreated { documentId } }`);
    const socket = await connectClient(app);
    await waitFor(async () => {
      const families = await scrape(app);
      return (
        sampleValue(families, 'realtime_connections', { transport: 'graphql-ws' }) === 1 &&
        sampleValue(families, 'realtime_subscriptions', { transport: 'graphql-ws' }) === 1 &&
        sampleValue(families, 'realtime_connections', { transport: 'graphql-sse' }) === 1 &&
        sampleValue(families, 'realtime_connections', { transport: 'socket.io' }) === 1
      );
    }, 'the gauges to count the three clients');

    const received = nextEvent(socket, 'article:create');
    const article = expectOk(await rest(app, 'POST', '/api/articles', { token: writer.accessKey, body: { data: { title: 'Measured' } } }), 'create').data;
    await overWs.waitForResults(1);
    await overSse.waitForResults(1);
    await received;
    await settle(100);

    const after = await scrape(app);
    const delta = (name: string, labels: Record<string, string> = {}) => sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(delta('realtime_events_captured_total', { content_type: ARTICLE, action: 'created' })).toBe(1);
    expect(delta('realtime_events_processed_total')).toBe(1);
    for (const transport of ['graphql-ws', 'graphql-sse', 'socket.io']) {
      expect(delta('realtime_deliveries_total', { transport }), transport).toBe(1);
      expect(delta('realtime_delivery_latency_seconds_count', { transport }), transport).toBe(1);
      expect(delta('realtime_delivery_latency_seconds_bucket', { transport, le: '10' }), transport).toBe(1);
    }
    expect(sampleValue(after, 'realtime_subscription_groups', { transport: 'graphql-ws' })).toBe(2);
    expect(sampleValue(after, 'realtime_audiences', { transport: 'socket.io' })).toBe(1);
    expect(delta('realtime_sanitize_calls_total')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(after, 'realtime_authorization_cache_hits_total') + sampleValue(after, 'realtime_authorization_cache_misses_total')).toBeGreaterThan(0);

    // Bounded labels: no document id, title or user anywhere in the exposition.
    const text = await (await scrapeRaw(app, `Bearer ${TOKEN}`)).text();
    expect(text).not.toContain(article.documentId);
    expect(text).not.toContain('Measured');
    const labelNames = new Set([...after.values()].filter((f: Family) => f.name.startsWith('realtime_')).flatMap((f) => f.samples.flatMap((s) => Object.keys(s.labels))));
    expect(['action', 'content_type', 'kind', 'le', 'queue', 'reason', 'transport']).toEqual(expect.arrayContaining([...labelNames]));

    for (const client of clients.splice(0)) client.dispose();
    closeAllClients();
    await waitFor(async () => {
      const families = await scrape(app);
      return ['graphql-ws', 'graphql-sse', 'socket.io'].every((transport) => sampleValue(families, 'realtime_connections', { transport }) === 0);
    }, 'the connection gauges to go back to zero');
  });

  it('counts refused connections per transport and reason', async () => {
    const before = await scrape(app);
    const ws = connectWs(app, { token: 'not-a-valid-token' });
    clients.push(ws);
    expect((await ws.waitForClose()).code).toBe(4403);
    const refusal = await connectRefused(app, { auth: { token: 'not-a-valid-token' } });
    expect(refusal.data?.code).toBe('INVALID_TOKEN');
    const sse = await fetch(`${app.httpUrl}/graphql/stream`, {
      method: 'POST',
      headers: { authorization: 'Bearer not-a-valid-token', 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { articleCreated { documentId } }' }),
    });
    expect(sse.status).toBe(401);

    const after = await scrape(app);
    for (const transport of ['graphql-ws', 'socket.io', 'graphql-sse']) {
      const labels = { transport, reason: 'invalid_token' };
      expect(sampleValue(after, 'realtime_connections_refused_total', labels) - sampleValue(before, 'realtime_connections_refused_total', labels), transport).toBe(1);
    }
  });
});

describe('Prometheus metrics: off by default, token from REALTIME_METRICS_TOKEN, one registry per app', () => {
  it('serves a second app in the same process with the token from the environment', async () => {
    const envToken = 'env-metrics-token-abcdefghijklmnop';
    process.env.REALTIME_METRICS_TOKEN = envToken;
    let app: ExampleApp | undefined;
    try {
      app = await bootExample({ realtimeConfig: { metrics: { enabled: true, path: '/ops/metrics' } } });
      expect((await scrapeRaw(app, `Bearer ${TOKEN}`, '/ops/metrics')).status).toBe(401);
      const response = await scrapeRaw(app, `Bearer ${envToken}`, '/ops/metrics');
      expect(response.status).toBe(200);
      const families = parseExposition(await response.text());
      // A fresh registry: this app's counters start from zero (nothing leaked from the app before).
      expect(sampleValue(families, 'realtime_events_processed_total')).toBe(0);
      expect((await scrapeRaw(app, `Bearer ${envToken}`)).status).toBe(404);
    } finally {
      delete process.env.REALTIME_METRICS_TOKEN;
      await app?.stop();
    }
  });
});
