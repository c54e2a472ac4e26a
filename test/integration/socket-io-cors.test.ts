/**
 * Socket.IO answers a browser on another origin like Strapi answers REST: by default it follows `strapi::cors`
 * (one place configures CORS), so a front end on http://localhost:5173 connects; narrowing `strapi::cors` narrows
 * Socket.IO; an explicit `socket.serverOptions.cors` wins. Checked over real HTTP on the Socket.IO handshake
 * (long-polling, the transport CORS applies to) and its preflight.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bootExample, type ExampleApp } from '../harness/example-app';

const VITE = 'http://localhost:5173';
const OTHER = 'https://app.example.com';

let app: ExampleApp | null = null;
afterEach(async () => {
  await app?.stop();
  app = null;
});

/** The Socket.IO handshake as a browser on `origin` sends it, and the origin the answer allows (if any). */
const handshake = async (origin: string) => {
  const response = await fetch(`${app!.httpUrl}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
  const body = await response.text();
  return { status: response.status, allowed: response.headers.get('access-control-allow-origin'), credentials: response.headers.get('access-control-allow-credentials'), body };
};

const preflight = async (origin: string) => {
  const response = await fetch(`${app!.httpUrl}/socket.io/?EIO=4&transport=polling`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
  return { status: response.status, allowed: response.headers.get('access-control-allow-origin') };
};

const restAllowed = async (origin: string) =>
  (await fetch(`${app!.httpUrl}/api/articles`, { headers: { origin } })).headers.get('access-control-allow-origin');

describe('Socket.IO CORS', () => {
  it("accepts http://localhost:5173 with the example's default strapi::cors, as REST does", { timeout: 60_000 }, async () => {
    app = await bootExample();
    const answer = await handshake(VITE);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('"sid"');
    expect(answer.allowed).toBe(VITE);
    expect(answer.credentials).toBe('true');
    expect(await preflight(VITE)).toEqual({ status: 204, allowed: VITE });
    expect(await restAllowed(VITE)).toBe(VITE);
  });

  it('follows a narrowed strapi::cors: the listed origin passes, others get no CORS headers', { timeout: 60_000 }, async () => {
    app = await bootExample({ env: { CORS_ORIGINS: OTHER } });
    expect((await handshake(OTHER)).allowed).toBe(OTHER);
    expect((await handshake(VITE)).allowed).toBeNull();
    expect((await preflight(VITE)).allowed).toBeNull();
    expect(await restAllowed(VITE)).not.toBe(VITE);
  });

  it('an explicit socket.serverOptions.cors wins over strapi::cors', { timeout: 60_000 }, async () => {
    app = await bootExample({ env: { CORS_ORIGINS: VITE }, realtimeConfig: { socket: { serverOptions: { cors: { origin: OTHER } } } } });
    expect((await handshake(OTHER)).allowed).toBe(OTHER);
    expect((await handshake(VITE)).allowed).not.toBe(VITE);
    expect(await restAllowed(VITE)).toBe(VITE);
  });
});
