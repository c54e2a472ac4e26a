/**
 * The published shape of the client library, checked on the build output (`npm run build`): every entry of the
 * package's exports map exists, the client entries load through the package name both as ES modules (import) and
 * as CommonJS (require), and nothing in dist/client imports a Node built-in (the same files run in browsers).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { typeCheck } from '../harness/type-check';

const ROOT = resolve(__dirname, '../..');
type ExportTarget = string | { [condition: string]: ExportTarget };
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, ExportTarget> };

/** Every file path of an exports entry, through nested conditions (`import`/`require` → `types`/`default`). */
const targetsOf = (target: ExportTarget): string[] => (typeof target === 'string' ? [target] : Object.values(target).flatMap(targetsOf));
const CLIENT_ENTRIES = ['client', 'client/apollo', 'client/urql', 'client/socket'];
const CLIENT_EXPORTS = {
  client: ['FORBIDDEN_CLOSE_CODE', 'RealtimeConnectionError', 'backoffDelay', 'createRealtimeClient'],
  'client/apollo': ['RealtimeLink', 'createApolloLink'],
  'client/urql': ['realtimeExchange'],
  'client/socket': ['createSocketClient'],
};

const run = (args: string[]) => {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
};

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));

describe('client package', () => {
  it('every file the exports map names exists', () => {
    const targets = Object.values(pkg.exports).flatMap(targetsOf);
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
    expect(exported).toEqual(CLIENT_EXPORTS);
  });

  it('the client entries load with require (the CommonJS build) with the same exports', () => {
    const exported = run([
      '-e',
      `const names = {};
       for (const entry of ${JSON.stringify(CLIENT_ENTRIES)}) names[entry] = Object.keys(require('strapi-plugin-realtime/' + entry)).sort();
       console.log(JSON.stringify(names));`,
    ]);
    expect(exported).toEqual(CLIENT_EXPORTS);
    // CommonJS all the way down: no ES module is loaded through require(esm).
    expect(readFileSync(join(ROOT, 'dist/client/cjs/realtime-client.js'), 'utf8')).toMatch(/require\("graphql-ws"\)/);
  });

  it('the codegen plugin loads with require, as @graphql-codegen/cli loads plugins', () => {
    expect(run(['-e', `console.log(JSON.stringify(Object.keys(require('strapi-plugin-realtime/codegen/socket-events')).sort()))`])).toEqual([
      'plugin',
      'validate',
    ]);
  });

  it('a TypeScript CommonJS module (.cts, module node16) gets the types of the require build', () => {
    const dir = join(ROOT, 'test/.artifacts/commonjs-consumer');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'consumer.cts');
    writeFileSync(
      file,
      [
        "import { createRealtimeClient, RealtimeConnectionError } from 'strapi-plugin-realtime/client';",
        "import { createSocketClient } from 'strapi-plugin-realtime/client/socket';",
        "const client = createRealtimeClient({ url: 'ws://localhost:1337/graphql', sseUrl: 'http://localhost:1337/graphql/stream' });",
        "export const failed = (error: unknown): boolean => error instanceof RealtimeConnectionError && error.kind === 'forbidden';",
        'export { client, createSocketClient };',
      ].join('\n'),
    );
    expect(typeCheck([file], { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 })).toEqual([]);
  });

  it('dist/client imports no Node built-in and no Node-only package', () => {
    const nodeOnly = new Set([...builtinModules, 'ws']);
    const imports = filesUnder(join(ROOT, 'dist/client'))
      .filter((file) => file.endsWith('.js'))
      .flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/(?:from|import|require)\s*\(?\s*['"]([^'"]+)['"]/g)].map((match) => ({ file, specifier: match[1] })),
      );
    // The scan sees the real imports (it would pass vacuously otherwise).
    expect(imports.map(({ specifier }) => specifier)).toEqual(expect.arrayContaining(['graphql-ws', 'graphql-sse', 'socket.io-client', '@apollo/client']));
    const offending = imports
      .filter(({ specifier }) => specifier.startsWith('node:') || nodeOnly.has(specifier.split('/')[0]))
      .map(({ file, specifier }) => `${file}: ${specifier}`);
    expect(offending).toEqual([]);
  });
});
