import { timingSafeEqual } from 'node:crypto';
import type { StrapiAdapter } from '../../strapi/strapi-adapter';

const sameSecret = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * `GET <sdlPath>`: the subscription schema as SDL, for codegen. Open where introspection is (development); when it
 * is not (production), only with `Authorization: Bearer <graphql.sdlToken>`, and not at all without a token set.
 */
export const serveSdl = (options: { strapi: StrapiAdapter; path: string; sdl: string; open: boolean; token: string | null }) => {
  const { strapi, path, sdl, open, token } = options;
  if (!open && !token) return;
  strapi.addRoutes([
    {
      method: 'GET',
      path,
      handler: (ctx: { status: number; type: string; body: string; get(name: string): string }) => {
        const given = ctx.get('authorization').replace(/^bearer\s+/i, '');
        if (!open && !(token && sameSecret(given, token))) {
          ctx.status = 401;
          ctx.type = 'application/json; charset=utf-8';
          ctx.body = JSON.stringify({ errors: [{ message: 'The schema needs the SDL token (graphql.sdlToken).', extensions: { code: 'UNAUTHORIZED' } }] });
          return;
        }
        ctx.type = 'text/plain; charset=utf-8';
        ctx.body = sdl;
      },
    },
  ]);
};
