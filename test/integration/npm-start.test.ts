/**
 * `npm start` as a newcomer runs it (NODE_ENV unset, so Strapi's development; a fresh database): the example boots
 * without a single warning from its own configuration, prints every endpoint, the demo link and the curl lines with
 * the development token, and stops cleanly on Ctrl+C. Runs the real script (example/scripts/start.js) in a child
 * process on the compiled plugin, as `npm start` does after `npm run build`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExampleDatabase, type ExampleDatabase } from '../harness/example-database';
import { ROOT } from '../harness/type-check';

let database: ExampleDatabase;
beforeAll(async () => {
  database = await createExampleDatabase();
});
afterAll(() => database?.drop());

const stripColors = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

describe('npm start', () => {
  it('boots a fresh database in development with no warning, prints how to write content, and stops on SIGINT', { timeout: 120_000 }, async () => {
    const { NODE_ENV: _testEnv, ...environment } = process.env;
    const child = spawn(process.execPath, [join(ROOT, 'example/scripts/start.js')], {
      cwd: ROOT,
      env: { ...environment, ...database.env, PORT: '0', HOST: '127.0.0.1', STRAPI_TELEMETRY_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const started = Date.now();
    await expect.poll(() => output, { timeout: 90_000, interval: 100 }).toContain('Stop with Ctrl+C.');
    const bootMs = Date.now() - started;
    const text = stripColors(output);

    expect(text.split('\n').filter((line) => /\bwarn\b|deprecat/i.test(line))).toEqual([]);
    expect(text).toMatch(/GraphiQL {20}http:\/\/localhost:\d+\/graphql\/stream/);
    expect(text).toMatch(/Live demo page {14}http:\/\/localhost:\d+\/demo#token=[0-9a-f]{64,}/);
    expect(text).toMatch(/export STRAPI_URL=http:\/\/localhost:\d+ STRAPI_TOKEN=[0-9a-f]{64,}/);
    for (const step of ['POST "$STRAPI_URL/api/articles"', 'PUT "$STRAPI_URL/api/articles/$ID"', '/unpublish"', '/publish"', 'DELETE "$STRAPI_URL/api/articles/$ID"']) {
      expect(text).toContain(step);
    }
    console.log(`npm start: fresh database, booted and printed in ${bootMs} ms`);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
