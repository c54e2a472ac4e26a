'use strict';

/**
 * Builds the example app's admin panel (Strapi's own Vite build, as `strapi build` runs it) into example/build,
 * with the plugin's admin part from ../dist/admin (`npm run build` first). Skipped when the inputs did not change
 * since the last build (a hash of them is kept in build/.realtime-build-hash); `--force` builds anyway.
 *
 * Why not `npx strapi build`: Strapi looks for a tsconfig.json from the app's folder upwards, finds the plugin
 * repository's own one and treats this JavaScript app as a TypeScript app ("No inputs were found"). Calling the
 * build function `strapi build` calls, without a tsconfig, is the same build minus that lookup.
 */
const path = require('path');
const fs = require('fs');
const crypto = require('crypto');

const appDir = path.resolve(__dirname, '..');
const repoDir = path.resolve(appDir, '..');
const buildDir = path.join(appDir, 'build');
const stampFile = path.join(buildDir, '.realtime-build-hash');

/** Everything the admin bundle is made from: the plugin's admin code, the app's config and Strapi's version. */
const inputsHash = () => {
  const hash = crypto.createHash('sha256');
  const add = (file) => {
    hash.update(path.relative(repoDir, file));
    hash.update(fs.readFileSync(file));
  };
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else add(file);
    }
  };
  walk(path.join(repoDir, 'dist', 'admin'));
  walk(path.join(appDir, 'config'));
  add(path.join(appDir, 'package.json'));
  // Of the plugin's package.json only what the admin build reads (not its scripts or dev dependencies).
  const plugin = JSON.parse(fs.readFileSync(path.join(repoDir, 'package.json'), 'utf8'));
  hash.update(JSON.stringify([plugin.name, plugin.strapi, plugin.exports['./strapi-admin']]));
  add(require.resolve('@strapi/strapi/package.json'));
  return hash.digest('hex');
};

/** Strapi's `build` (the function behind `strapi build`); its package exports no such path, so it is loaded by file. */
const loadStrapiBuild = () => {
  const strapiDir = path.dirname(require.resolve('@strapi/strapi/package.json'));
  const { build } = require(path.join(strapiDir, 'dist', 'src', 'node', 'build.js'));
  const { createLogger } = require(path.join(strapiDir, 'dist', 'src', 'cli', 'utils', 'logger.js'));
  return { build, createLogger };
};

const buildAdmin = async ({ force = false, silent = false } = {}) => {
  if (!fs.existsSync(path.join(repoDir, 'dist', 'admin', 'index.mjs'))) {
    throw new Error('dist/admin is missing: run `npm run build` at the repository root first');
  }
  const hash = inputsHash();
  if (!force && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === hash && fs.existsSync(path.join(buildDir, 'index.html'))) {
    return { built: false, ms: 0 };
  }
  process.env.STRAPI_TELEMETRY_DISABLED ??= 'true';
  fs.mkdirSync(path.join(appDir, 'public', 'uploads'), { recursive: true });
  const started = Date.now();
  const { build, createLogger } = loadStrapiBuild();
  const cwd = process.cwd();
  process.chdir(appDir);
  try {
    await build({ cwd: appDir, logger: createLogger({ silent, debug: false, timestamp: false }), tsconfig: undefined, minify: false, sourcemap: false, stats: false });
  } finally {
    process.chdir(cwd);
  }
  fs.writeFileSync(stampFile, hash);
  return { built: true, ms: Date.now() - started };
};

module.exports = { buildAdmin, buildDir };

if (require.main === module) {
  buildAdmin({ force: process.argv.includes('--force') })
    .then(({ built, ms }) => {
      console.log(built ? `Admin panel built in ${(ms / 1000).toFixed(1)} s (example/build)` : 'Admin panel up to date (example/build)');
      // Strapi's build leaves handles open (its app instance, Vite); this is a one-shot command.
      process.exit(0);
    })
    .catch((error) => {
      console.error(`The admin panel could not be built:\n${error && error.stack ? error.stack : error}`);
      process.exit(1);
    });
}
