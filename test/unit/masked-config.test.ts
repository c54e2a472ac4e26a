import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/config';
import { MASK, maskValue, maskedConfig } from '../../src/admin-api/masked-config';

const TOKEN = 'scrape-token-0123456789';

describe('the configuration the admin page shows', () => {
  it('masks the metrics and SDL tokens and Redis credentials, names handlers without their source', () => {
    const secretHandler = () => 'sk_live_in_the_source';
    const config = normalizeConfig(
      {
        bus: { kind: 'redis', url: 'redis://realtime:s3cret-pass@redis.internal:6379/2' },
        metrics: { enabled: true, token: TOKEN },
        events: [{ name: 'connection', handler: secretHandler }],
        hooks: { init: secretHandler },
        socket: { serverOptions: { cors: { origin: 'https://app.example' }, auth: { secret: 'x' } } },
        graphql: { sdlToken: 'sdl-token-for-codegen' },
      },
      { NODE_ENV: 'development' },
    );
    const shown = maskedConfig(config, new Map([['api::article.article', { uid: 'api::article.article', actions: new Set(['created'] as const), populate: ['category'], eventPrefix: 'article', conflate: false }]]));
    const text = JSON.stringify(shown);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('s3cret-pass');
    expect(text).not.toContain('sk_live');
    expect(text).not.toContain('sdl-token-for-codegen');
    expect(shown.graphql.sdlToken).toBe(MASK);
    expect(shown.bus).toEqual({ kind: 'redis', url: `redis://${MASK}@redis.internal:6379/2`, stream: 'strapi-realtime:events', bufferSize: 10_000 });
    expect(shown.metrics).toEqual({ enabled: true, path: '/realtime/metrics', token: MASK, defaultMetrics: true });
    expect(shown.socket.events).toEqual([{ name: 'connection', handler: '[function]' }]);
    expect(shown.socket.hooks).toEqual({ init: '[function]' });
    expect(shown.socket.serverOptions).toMatchObject({ cors: { origin: 'https://app.example' }, auth: MASK });
    expect(shown.contentTypes).toEqual([{ uid: 'api::article.article', actions: ['created'], populate: ['category'], eventPrefix: 'article', conflate: false }]);
    expect(shown.graphql.maxDepth).toBe(10);
    expect(shown.graphql.maxTokens).toBe(2000);
    expect(shown.limits).toEqual({ maxConnections: 20_000, maxConnectionsPerAddress: 1_000 });
    expect(Object.keys(shown).sort()).toEqual(Object.keys(config).sort());
  });

  it('summarizes what JSON cannot show', () => {
    const circular: Record<string, unknown> = { password: 'p', keepAliveMs: 5, nested: { apiKey: 'k', list: [new Map(), /re/] } };
    circular.self = circular;
    expect(maskValue(circular)).toEqual({ password: MASK, keepAliveMs: 5, nested: { apiKey: MASK, list: ['[Map]', '/re/'] }, self: '[circular]' });
  });
});
