/**
 * The README's blocks that run, run, against the real example app booted with the README's own plugin config
 * (in development): the config boots; the printed sample is what `npm start` prints, line for line; the legacy
 * Socket.IO client, the Node `iterate` client (ES module, `ws` on Node 20) and the CommonJS `require` client each
 * receive the events of a REST write. Their URLs are pointed at this app's port; nothing else is changed.
 * (test/unit/readme-snippets.test.ts type-checks the TypeScript blocks.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { buildSchema } from 'graphql';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { developmentToken, welcomeMessage } from '../harness/example-development';
import { readmeSnippets, snippetWith } from '../harness/readme-snippets';
import { expectOk, rest } from '../harness/rest';
import { ROOT } from '../harness/type-check';

/** Inside the repository, so `strapi-plugin-realtime/client`, `ws` and `socket.io-client` resolve as once installed. */
const DIR = join(ROOT, 'test/.artifacts/readme-run');
const snippets = readmeSnippets();

let app: ExampleApp;
let token: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(join(DIR, 'src/gql'), { recursive: true });
  // The README's config/plugins.js, given to the example app as its realtime config.
  writeFileSync(join(DIR, 'plugins.js'), snippetWith('run:plugin-config', snippets).code);
  writeFileSync(join(DIR, 'realtime-config.js'), "module.exports = (context) => require('./plugins.js')(context).realtime.config;\n");
  app = await bootExample({ seed: true, env: { NODE_ENV: 'development' }, realtimeConfigModule: join(DIR, 'realtime-config.js') });
  token = (await developmentToken.readDevelopmentToken(app.strapi))!;
});

afterAll(async () => {
  for (const child of children) child.kill();
  await app?.stop();
  rmSync(DIR, { recursive: true, force: true });
});

/** The snippet's code aimed at this app instead of localhost:1337. */
const aimed = (code: string) => code.replaceAll('http://localhost:1337', app.httpUrl).replaceAll('ws://localhost:1337', app.wsUrl);

/** Runs a script and collects its output; `lines` grows as it prints. */
const runScript = (file: string) => {
  const child = spawn(process.execPath, [file], { cwd: DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const output = { text: '' };
  child.stdout.on('data', (chunk) => (output.text += chunk));
  child.stderr.on('data', (chunk) => (output.text += chunk));
  return output;
};

/** Creates and deletes an article over REST until the script printed `expected(documentId)` (it may still be connecting). */
const writeUntilPrinted = async (output: { text: string }, expected: (documentId: string) => string) => {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const created = expectOk(await rest(app, 'POST', '/api/articles', { token, body: { data: { title: 'From the README test' } } }), 'create');
    const { documentId } = created.data as { documentId: string };
    expectOk(await rest(app, 'DELETE', `/api/articles/${documentId}`, { token }), 'delete');
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (output.text.includes(expected(documentId))) return documentId;
    if (Date.now() > deadline) throw new Error(`the snippet never printed "${expected(documentId)}"; it printed:\n${output.text}`);
  }
};

describe('README blocks that run', () => {
  it('the plugin config boots the app with exactly its content types and actions', async () => {
    const sdl = buildSchema(await (await fetch(`${app.httpUrl}/graphql/schema.graphql`)).text());
    const fields = Object.keys(sdl.getSubscriptionType()!.getFields());
    expect(fields.filter((name) => name.startsWith('category'))).toEqual(['categoryCreated', 'categoryDeleted']);
    expect(fields.filter((name) => name.startsWith('article'))).toHaveLength(6);
    expect(fields.filter((name) => name.startsWith('tag') || name.startsWith('homepage'))).toEqual([]);
  });

  it('the printed sample is exactly what npm start prints (token and port aside)', async () => {
    const printed = (await welcomeMessage(app.strapi)).replaceAll(token, '<token>').replaceAll(`localhost:${app.port}`, 'localhost:1337');
    expect(snippetWith('npm-start-output', snippets).code.trim()).toBe(printed.trim());
  });

  it('the Socket.IO block receives article:create and article:delete', async () => {
    const file = join(DIR, 'socket-io.mjs');
    writeFileSync(file, aimed(snippetWith('run:socket-io', snippets).code));
    const output = runScript(file);
    const documentId = await writeUntilPrinted(output, (id) => `deleted ${id}`);
    expect(output.text).toContain(`created ${documentId} From the README test`);
  });

  it('the iterate block (TypeScript, ES module, Node 20 with ws) prints deletions', async () => {
    // Compiled as a bundler would: the README's generated ./gql/graphql is the repository's generated/ here.
    writeFileSync(join(DIR, 'src/gql/graphql.ts'), "export * from '../../../../../generated/graphql';\n");
    const source = join(DIR, 'src/watch-deletions.ts');
    writeFileSync(source, aimed(snippetWith('run:iterate', snippets).code));
    const file = join(DIR, 'watch-deletions.mjs');
    await build({ entryPoints: [source], outfile: file, bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', logLevel: 'silent' });
    const output = runScript(file);
    await writeUntilPrinted(output, (id) => `deleted ${id}`);
  });

  it('the CommonJS block (require) prints deletions', async () => {
    const file = join(DIR, 'watch-deletions.cjs');
    writeFileSync(file, aimed(snippetWith('run:require-client', snippets).code));
    const output = runScript(file);
    await writeUntilPrinted(output, (id) => `deleted ${id}`);
    expect(output.text).not.toMatch(/ExperimentalWarning|ERR_/);
  });
});
