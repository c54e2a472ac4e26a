import type { IncomingHttpHeaders } from 'node:http';
import type { ServerOptions } from 'socket.io';

export type SocketCors = NonNullable<ServerOptions['cors']>;

/** `origin` as `strapi::cors` accepts it: `'*'`, a comma-separated string, a list, or a function of the Koa ctx. */
type StrapiOrigin = string | string[] | ((ctx: unknown) => string | string[] | Promise<string | string[]>) | null | undefined;

/** The `strapi::cors` middleware's options (config/middlewares.js), with Strapi's own defaults. */
export interface StrapiCorsConfig {
  origin: StrapiOrigin;
  methods: string | string[];
  headers: string | string[];
  expose?: string | string[];
  maxAge?: number;
  credentials: boolean;
}

/** Strapi 5's defaults for `strapi::cors` (@strapi/core middlewares/cors). */
const STRAPI_CORS_DEFAULTS: StrapiCorsConfig = {
  origin: '*',
  maxAge: 31536000,
  credentials: true,
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
  headers: ['Content-Type', 'Authorization', 'Origin', 'Accept'],
};

const CORS_MIDDLEWARE = 'strapi::cors';

/**
 * The `strapi::cors` entry of the app's middleware list (`strapi.config.get('middlewares')`: names, or
 * `{ name, config }` objects), merged over Strapi's defaults; `null` when the app does not use it (then REST sends
 * no CORS headers, and neither does Socket.IO).
 */
export const strapiCorsConfig = (middlewares: unknown): StrapiCorsConfig | null => {
  if (!Array.isArray(middlewares)) return null;
  for (const entry of middlewares) {
    if (entry === CORS_MIDDLEWARE) return { ...STRAPI_CORS_DEFAULTS };
    if (entry && typeof entry === 'object' && (entry as { name?: unknown }).name === CORS_MIDDLEWARE) {
      const config = (entry as { config?: unknown }).config;
      return { ...STRAPI_CORS_DEFAULTS, ...(config && typeof config === 'object' ? (config as Partial<StrapiCorsConfig>) : {}) };
    }
  }
  return null;
};

/** The few parts of a Koa ctx a user's origin function may read, built from the handshake request. */
const koaLikeContext = (request: { method?: string; headers: IncomingHttpHeaders; url?: string }) => {
  const get = (name: string) => {
    const value = request.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : (value ?? '');
  };
  return { get, method: request.method, url: request.url, headers: request.headers, header: request.headers, request: { get, method: request.method, url: request.url, headers: request.headers, header: request.headers } };
};

/** Strapi's rule (`matchOrigin`): `*` allows any origin (reflected, so credentials work), else an exact match. */
const allowedOrigin = async (requestOrigin: string, configured: StrapiOrigin, request: Parameters<typeof koaLikeContext>[0]) => {
  const list = typeof configured === 'function' ? await configured(koaLikeContext(request)) : configured;
  const origins = Array.isArray(list) ? list : list == null ? ['*'] : String(list).split(',').map((origin) => origin.trim());
  if (origins.includes('*')) return requestOrigin;
  return origins.includes(requestOrigin) ? requestOrigin : false;
};

/**
 * Socket.IO's `cors` option answering like `strapi::cors` answers REST and GraphQL: same allowed origins (a
 * function origin is called with a Koa-like ctx: `get(header)`, `request.header`), methods, headers, credentials
 * and max age. An origin function that throws refuses the request rather than allowing it.
 */
export const socketCorsFromStrapi = (config: StrapiCorsConfig): SocketCors => (request, callback) => {
  const requestOrigin = request.headers.origin;
  const respond = (origin: string | false) =>
    callback(null, {
      origin,
      methods: config.methods,
      allowedHeaders: config.headers,
      exposedHeaders: config.expose,
      maxAge: config.maxAge,
      credentials: config.credentials,
    });
  // Not a cross-origin browser request: nothing to allow.
  if (!requestOrigin) return respond(false);
  allowedOrigin(requestOrigin, config.origin, request).then(respond, () => respond(false));
};

/**
 * What Socket.IO gets as `cors`: the app's explicit `socket.serverOptions.cors` when set (it wins, as given), else
 * the `strapi::cors` settings, else nothing (no CORS headers, as for REST without `strapi::cors`).
 */
export const resolveSocketCors = (explicit: ServerOptions['cors'] | undefined, middlewares: unknown): SocketCors | undefined => {
  if (explicit !== undefined) return explicit;
  const config = strapiCorsConfig(middlewares);
  return config ? socketCorsFromStrapi(config) : undefined;
};
