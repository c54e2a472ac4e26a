import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/**
 * The lowest Strapi the peer range claims, read from it (`@strapi/strapi: ^5.0.6`), so the range and what CI
 * installs cannot drift apart. Strapi before 5.12 needs sharp 0.33.5 to install here (older sharp downloads libvips
 * at install, which this network refuses).
 */
const peerRange = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> }).peerDependencies['@strapi/strapi'];
export const LOWEST_STRAPI = /^\^(\d+\.\d+\.\d+)$/.exec(peerRange)?.[1] ?? fail(`peerDependencies["@strapi/strapi"] should be ^x.y.z, not ${peerRange}`);

function fail(message: string): never {
  throw new Error(message);
}
const EXAMPLE = join(ROOT, 'example');
/** Beside example/, so the copy's config/plugins.js resolves the plugin at the repository root as example/'s does. */
export const LOWEST_APP_DIR = join(ROOT, '.strapi-lowest');

const MANIFEST = {
  name: 'strapi-plugin-realtime-example-lowest-strapi',
  private: true,
  description: `example/ on Strapi ${LOWEST_STRAPI}, installed by test/setup/lowest-strapi.ts (not committed)`,
  dependencies: {
    '@strapi/strapi': LOWEST_STRAPI,
    '@strapi/plugin-users-permissions': LOWEST_STRAPI,
    '@strapi/plugin-graphql': LOWEST_STRAPI,
    // Versioned on its own: 5.0.5 is its last release before 5.1 (move it with the range's floor).
    '@strapi/provider-email-nodemailer': '5.0.5',
    // PostgreSQL only: no SQLite driver to build from source. (pg 8.19+ warns about Strapi's concurrent queries.)
    pg: '~8.18.0',
  },
  overrides: { sharp: '0.33.5' },
  strapi: { uuid: false, telemetryDisabled: true },
};

const installedVersion = () => {
  const file = join(LOWEST_APP_DIR, 'node_modules/@strapi/strapi/package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : null;
};

/**
 * Before the `integration-lowest-strapi` project: a copy of example/ in .strapi-lowest/ with its own node_modules on
 * that Strapi (installed once, again only when the pinned versions change), its sources refreshed at every run.
 */
export default function prepareLowestStrapi() {
  mkdirSync(LOWEST_APP_DIR, { recursive: true });
  const manifestFile = join(LOWEST_APP_DIR, 'package.json');
  const manifest = `${JSON.stringify(MANIFEST, null, 2)}\n`;
  if (installedVersion() !== LOWEST_STRAPI || !existsSync(manifestFile) || readFileSync(manifestFile, 'utf8') !== manifest) {
    writeFileSync(manifestFile, manifest);
    const started = Date.now();
    console.log(`[test setup] installing Strapi ${LOWEST_STRAPI} into .strapi-lowest/`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: LOWEST_APP_DIR, stdio: 'inherit' });
    console.log(`[test setup] Strapi ${LOWEST_STRAPI} installed in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  for (const part of ['config', 'src', 'public']) {
    rmSync(join(LOWEST_APP_DIR, part), { recursive: true, force: true });
    // Uploads a previous run left in example/public/uploads stay there.
    cpSync(join(EXAMPLE, part), join(LOWEST_APP_DIR, part), { recursive: true, filter: (source) => !source.includes('/public/uploads/') || source.endsWith('.gitkeep') });
  }
}
