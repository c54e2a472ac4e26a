/**
 * The example's first five minutes in development: a fresh database gets a full-access API token, `npm start`
 * prints it with curl lines that, pasted into bash, make every article event happen (seen by a graphql-ws client
 * and a Socket.IO client); the demo page and its bundle are served; a second boot on the same database creates no
 * other token and prints the same one again.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { createExampleDatabase, type ExampleDatabase } from '../harness/example-database';
import { connectWs } from '../harness/graphql-clients';
import { closeAllClients, collect, connectClient } from '../harness/socket-client';
import { countDevelopmentTokens, developmentToken, welcomeMessage } from '../harness/example-development';
import { expectOk, rest } from '../harness/rest';

const DEVELOPMENT = { NODE_ENV: 'development' };
let database: ExampleDatabase;
let app: ExampleApp | null = null;

beforeAll(async () => {
  database = await createExampleDatabase();
  app = await bootExample({ seed: true, env: DEVELOPMENT, database });
});

afterAll(async () => {
  closeAllClients();
  await app?.stop();
  await database?.drop();
});

/** The shell lines of the printed message, from `export STRAPI_URL=...` to the delete line. */
const curlLinesOf = (message: string) => {
  const lines = message.split('\n').map((line) => line.trim());
  const first = lines.findIndex((line) => line.startsWith('export STRAPI_URL='));
  const last = lines.findIndex((line) => line.includes('-X DELETE'));
  expect(first).toBeGreaterThanOrEqual(0);
  expect(last).toBeGreaterThan(first);
  return lines.slice(first, last + 1);
};

describe('development helpers of the example', () => {
  it('a fresh development database gets one full-access token, which REST accepts for writes', async () => {
    const token = await developmentToken.readDevelopmentToken(app!.strapi);
    expect(token).toMatch(/^[0-9a-f]{64,}$/);
    expect(await countDevelopmentTokens(app!.strapi)).toBe(1);
    const created = expectOk(await rest(app!, 'POST', '/api/articles', { token, body: { data: { title: 'Written with the development token' } } }), 'create');
    expectOk(await rest(app!, 'DELETE', `/api/articles/${created.data.documentId}`, { token }), 'delete');
  });

  it('the printed curl lines, pasted into bash, create, update, unpublish, publish and delete an article', async () => {
    const message = await welcomeMessage(app!.strapi);
    const token = await developmentToken.readDevelopmentToken(app!.strapi);
    expect(message).toContain(`/demo#token=${token}`);
    const lines = curlLinesOf(message);
    expect(lines[0]).toBe(`export STRAPI_URL=http://localhost:${app!.port} STRAPI_TOKEN=${token}`);

    const ws = connectWs(app!);
    const subscriptions = ['articleCreated', 'articleUpdated', 'articlePublished'].map((field) =>
      ws.subscribe(`subscription { ${field} { documentId title } }`),
    );
    const references = ['articleUnpublished', 'articleDeleted'].map((field) => ws.subscribe(`subscription { ${field} { documentId } }`));
    const socket: Socket = await connectClient(app!);
    const socketEvents: string[] = [];
    socket.onAny((event: string) => socketEvents.push(event));
    const created = collect(socket, 'article:create');
    await new Promise((resolve) => setTimeout(resolve, 300)); // the subscriptions are registered

    // Asynchronously: the server answering curl runs in this process.
    const run = await promisify(execFile)('bash', ['-e', '-c', lines.join('\n')], { encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).toBe('');
    const documentId = run.stdout.split('\n')[0];
    expect(documentId).toMatch(/^[a-z0-9]{20,}$/);

    const [createdResults, updatedResults, publishedResults] = await Promise.all(subscriptions.map((s) => s.waitForResults(1)));
    const [unpublishedResults, deletedResults] = await Promise.all(references.map((s) => s.waitForResults(1)));
    expect(createdResults[0].data).toEqual({ articleCreated: { documentId, title: 'Hello, realtime' } });
    expect(updatedResults[0].data).toEqual({ articleUpdated: { documentId, title: 'Hello again, realtime' } });
    expect(publishedResults[0].data).toEqual({ articlePublished: { documentId, title: 'Hello again, realtime' } });
    expect(unpublishedResults[0].data).toEqual({ articleUnpublished: { documentId } });
    expect(deletedResults[0].data).toEqual({ articleDeleted: { documentId } });
    await created.atLeast(1);
    await expect.poll(() => socketEvents).toEqual(['article:create', 'article:update', 'article:unpublish', 'article:publish', 'article:delete']);
    void ws.dispose();
  });

  it('serves the demo page and its bundle (built from the client library and generated/)', async () => {
    const page = await fetch(`${app!.httpUrl}/demo`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="/demo/demo.js"></script>');
    const bundle = await fetch(`${app!.httpUrl}/demo/demo.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    const code = await bundle.text();
    // The generated documents are in it (operation names survive minification).
    expect(code).toContain('DemoArticleCreated');
  });

  it('a second boot on the same database creates no token and prints the same one', { timeout: 120_000 }, async () => {
    const token = await developmentToken.readDevelopmentToken(app!.strapi);
    await app!.stop();
    app = null;
    app = await bootExample({ seed: true, env: DEVELOPMENT, database });
    expect(await countDevelopmentTokens(app.strapi)).toBe(1);
    expect(await developmentToken.readDevelopmentToken(app.strapi)).toBe(token);
    expect(await welcomeMessage(app.strapi)).toContain(`STRAPI_TOKEN=${token}`);
  });
});
