// Compiles the admin panel part of the plugin (admin/src) to dist/admin: index.mjs (what Strapi's Vite build
// imports) and index.js (what `require.resolve('<package>/strapi-admin')` finds for an installed package).
// Bundled like @strapi/sdk-plugin bundles a plugin's admin (dependencies and peer dependencies stay imports,
// so the admin app's own React, design system and react-intl are used), with esbuild: well under a second.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const outdir = 'dist/admin';
rmSync(outdir, { recursive: true, force: true });

const shared = {
  entryPoints: ['admin/src/index.ts'],
  bundle: true,
  // Every bare import (react, @strapi/*, react-intl, styled-components) is provided by the admin app.
  packages: 'external',
  jsx: 'automatic',
  target: 'es2020',
  platform: 'browser',
  sourcemap: true,
  logLevel: 'warning',
};

await Promise.all([
  build({ ...shared, format: 'esm', outfile: `${outdir}/index.mjs` }),
  build({ ...shared, format: 'cjs', outfile: `${outdir}/index.js` }),
]);
