/**
 * The published shape of the client library, checked on the build output (`npm run build`): every entry of the
 * package's exports map exists, the client entries load as ES modules in Node through the package name, and
 * nothing in dist/client imports a Node built-in (the same files run in browsers).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | Record<string, string>> };

const run = (args: string[]) => {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
};

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));

describe('client package', () => {
  it('every file the exports map names exists', () => {
    const targets = Object.values(pkg.exports).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target)));
    expect(targets.filter((target) => !existsSync(join(ROOT, target)))).toEqual([]);
  });

  it('the client entries import as ES modules through the package name', () => {
    const exported = run([
      '--input-type=module',
      '-e',
      `const names = {};
       for (const entry of ['client', 'client/apollo', 'client/urql', 'client/socket']) {
         names[entry] = Object.keys(await import('strapi-plugin-realtime/' + entry)).sort();
       }
       console.log(JSON.stringify(names));`,
    ]);
    expect(exported).toEqual({
      client: ['FORBIDDEN_CLOSE_CODE', 'RealtimeConnectionError', 'backoffDelay', 'createRealtimeClient'],
      'client/apollo': ['RealtimeLink', 'createApolloLink'],
      'client/urql': ['realtimeExchange'],
      'client/socket': ['createSocketClient'],
    });
  });

  it('the codegen plugin loads with require, as @graphql-codegen/cli loads plugins', () => {
    expect(run(['-e', `console.log(JSON.stringify(Object.keys(require('strapi-plugin-realtime/codegen/socket-events')).sort()))`])).toEqual([
      'plugin',
      'validate',
    ]);
  });

  it('dist/client imports no Node built-in and no Node-only package', () => {
    const nodeOnly = new Set([...builtinModules, 'ws']);
    const imports = filesUnder(join(ROOT, 'dist/client'))
      .filter((file) => file.endsWith('.js'))
      .flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((match) => ({ file, specifier: match[1] })),
      );
    // The scan sees the real imports (it would pass vacuously otherwise).
    expect(imports.map(({ specifier }) => specifier)).toEqual(expect.arrayContaining(['graphql-ws', 'graphql-sse', 'socket.io-client', '@apollo/client']));
    const offending = imports
      .filter(({ specifier }) => specifier.startsWith('node:') || nodeOnly.has(specifier.split('/')[0]))
      .map(({ file, specifier }) => `${file}: ${specifier}`);
    expect(offending).toEqual([]);
  });
});
