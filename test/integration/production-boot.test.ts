/**
 * With NODE_ENV=production the example's development helpers do not exist: a fresh, seeded database gets no
 * development API token, `/demo` and its bundle answer 404 like any unknown path, the start message has no token,
 * curl line or demo link, and the plugin serves no GraphiQL. (development-helpers.test.ts is the same app with
 * NODE_ENV=development, where all of these exist.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { countDevelopmentTokens, developmentToken, welcomeMessage } from '../harness/example-development';

let app: ExampleApp;

beforeAll(async () => {
  app = await bootExample({ seed: true, env: { NODE_ENV: 'production' } });
});

afterAll(async () => {
  await app?.stop();
});

describe('the example in production', () => {
  it('seeds content but creates no development token', async () => {
    expect(await app.strapi.db.query('api::article.article').count()).toBeGreaterThan(0);
    expect(await countDevelopmentTokens(app.strapi)).toBe(0);
    expect(await developmentToken.hasDevelopmentToken(app.strapi)).toBe(false);
    expect(await developmentToken.readDevelopmentToken(app.strapi)).toBeNull();
  });

  it('has no demo page', async () => {
    for (const path of ['/demo', '/demo/demo.js', '/demo/demo.css']) {
      expect((await fetch(`${app.httpUrl}${path}`, { headers: { accept: 'text/html' } })).status, path).toBe(404);
    }
  });

  it('prints the endpoints only: no token, no curl line, no demo link', async () => {
    const message = await welcomeMessage(app.strapi);
    expect(message).toContain('strapi-plugin-realtime example is running');
    expect(message).not.toMatch(/STRAPI_TOKEN|curl|\/demo|GraphiQL/);
  });

  it('serves no GraphiQL on the SSE endpoint', async () => {
    const response = await fetch(`${app.httpUrl}/graphql/stream`, { headers: { accept: 'text/html' } });
    expect(response.headers.get('content-type') ?? '').not.toContain('text/html');
  });
});
