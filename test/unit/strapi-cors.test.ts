/**
 * Socket.IO's CORS follows `strapi::cors`: the middleware entry is found in the app's middleware list, and the
 * delegate answers each handshake like Strapi's middleware answers REST (origins, `*`, functions, credentials).
 */
import { describe, expect, it } from 'vitest';
import type { CorsOptions } from 'cors';
import { resolveSocketCors, socketCorsFromStrapi, strapiCorsConfig, type SocketCors } from '../../src/transports/socket-io/strapi-cors';

const VITE = 'http://localhost:5173';

/** What the delegate tells the `cors` package for a request from `origin`. */
const answer = (cors: SocketCors, origin?: string, extraHeaders: Record<string, string> = {}) =>
  new Promise<CorsOptions>((resolve, reject) => {
    if (typeof cors !== 'function') return resolve(cors);
    cors({ method: 'GET', headers: { ...(origin ? { origin } : {}), ...extraHeaders } }, (error, options) => (error ? reject(error) : resolve(options!)));
  });

const fromMiddlewares = (middlewares: unknown) => {
  const cors = resolveSocketCors(undefined, middlewares);
  if (!cors) throw new Error('expected CORS settings');
  return cors;
};

describe('strapi::cors settings', () => {
  it('finds the middleware by name, as a string or a { name, config } entry, over Strapi defaults', () => {
    expect(strapiCorsConfig(['strapi::logger', 'strapi::cors'])).toMatchObject({ origin: '*', credentials: true });
    expect(strapiCorsConfig([{ name: 'strapi::cors', config: { origin: ['https://app.example.com'], credentials: false } }])).toMatchObject({
      origin: ['https://app.example.com'],
      credentials: false,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
    });
  });

  it('is absent when the app does not use strapi::cors (then Socket.IO sends no CORS headers either)', () => {
    expect(strapiCorsConfig(['strapi::logger', 'strapi::body'])).toBeNull();
    expect(strapiCorsConfig(undefined)).toBeNull();
    expect(resolveSocketCors(undefined, ['strapi::body'])).toBeUndefined();
  });
});

describe('Socket.IO cors from strapi::cors', () => {
  it("accepts a browser on another origin with Strapi's default (every origin, reflected with credentials)", async () => {
    expect(await answer(fromMiddlewares(['strapi::cors']), VITE)).toMatchObject({
      origin: VITE,
      credentials: true,
      allowedHeaders: ['Content-Type', 'Authorization', 'Origin', 'Accept'],
    });
  });

  it('allows exactly the configured origins (list or comma-separated string) and refuses others', async () => {
    const listed = fromMiddlewares([{ name: 'strapi::cors', config: { origin: ['https://app.example.com', VITE] } }]);
    expect((await answer(listed, VITE)).origin).toBe(VITE);
    expect((await answer(listed, 'https://evil.example')).origin).toBe(false);
    const commaSeparated = fromMiddlewares([{ name: 'strapi::cors', config: { origin: 'https://app.example.com, http://localhost:5173' } }]);
    expect((await answer(commaSeparated, VITE)).origin).toBe(VITE);
  });

  it('calls an origin function with a Koa-like ctx; a function that throws refuses', async () => {
    const byHeader = fromMiddlewares([
      { name: 'strapi::cors', config: { origin: (ctx: { get(name: string): string }) => (ctx.get('x-tenant') === 'a' ? [VITE] : []) } },
    ]);
    expect((await answer(byHeader, VITE, { 'x-tenant': 'a' })).origin).toBe(VITE);
    expect((await answer(byHeader, VITE, { 'x-tenant': 'b' })).origin).toBe(false);
    const failing = socketCorsFromStrapi({ ...strapiCorsConfig(['strapi::cors'])!, origin: () => Promise.reject(new Error('db down')) });
    expect((await answer(failing, VITE)).origin).toBe(false);
  });

  it('adds nothing for a request without Origin (same origin, or not a browser)', async () => {
    expect((await answer(fromMiddlewares(['strapi::cors']))).origin).toBe(false);
  });

  it('an explicit socket.serverOptions.cors wins, as given', () => {
    const explicit = { origin: 'https://only.example.com' };
    expect(resolveSocketCors(explicit, ['strapi::cors'])).toBe(explicit);
  });
});
