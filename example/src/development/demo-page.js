'use strict';

const path = require('path');
const fs = require('fs');
const { isDevelopment } = require('./is-development');

const DEMO_DIR = path.resolve(__dirname, '..', '..', 'demo');

/**
 * The browser bundle of demo-page.ts and everything it imports: the project's own client library (client/), the
 * generated documents (generated/), graphql-ws, graphql-sse and socket.io-client. esbuild builds it in about a
 * tenth of a second, on the first request rather than at boot, so `npm start` stays as fast as before.
 */
const buildBundle = async () => {
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    entryPoints: [path.join(DEMO_DIR, 'demo-page.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return result.outputFiles[0].text;
};

const serveFile = (file, type) => (ctx) => {
  ctx.set('cache-control', 'no-store');
  ctx.type = type;
  ctx.body = fs.readFileSync(path.join(DEMO_DIR, file), 'utf8');
};

/**
 * `/demo`, `/demo/demo.js`, `/demo/demo.css`: the live demo page, in development only (elsewhere the routes do not
 * exist and answer 404 like any unknown path). It uses Strapi's own CSP: one same-origin script, no inline code.
 */
const registerDemoPage = (strapi) => {
  if (!isDevelopment()) return false;
  let bundle = null;
  const serveBundle = async (ctx) => {
    bundle ??= buildBundle().catch((error) => {
      bundle = null; // the next request tries again (after the source is fixed)
      throw error;
    });
    try {
      ctx.body = await bundle;
      ctx.type = 'text/javascript; charset=utf-8';
      ctx.set('cache-control', 'no-store');
    } catch (error) {
      strapi.log.error(`[example] the demo page bundle did not build: ${error.message}`);
      ctx.status = 500;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = `The demo page bundle did not build (is esbuild installed? npm ci installs it):\n${error.message}`;
    }
  };
  strapi.server.routes([
    { method: 'GET', path: '/demo', handler: serveFile('demo.html', 'text/html; charset=utf-8'), config: { auth: false } },
    { method: 'GET', path: '/demo/demo.css', handler: serveFile('demo.css', 'text/css; charset=utf-8'), config: { auth: false } },
    { method: 'GET', path: '/demo/demo.js', handler: serveBundle, config: { auth: false } },
  ]);
  return true;
};

module.exports = { registerDemoPage };
