/**
 * The live demo page in a real browser against the real example app (NODE_ENV=development): the list of latest
 * articles changes on create, update, unpublish, publish and delete, whether the write comes from the page's own
 * form and buttons or from elsewhere (REST, the Document Service); the raw Socket.IO events appear beside it; the
 * SSE fallback keeps the list live; nothing breaks in the console. Screenshots go to test/.artifacts/.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { launchBrowser, noProblems, saveScreenshot, watchProblems, type PageProblems } from '../harness/browser';
import { developmentToken } from '../harness/example-development';
import { expectOk, rest } from '../harness/rest';

const ARTICLE = 'api::article.article';

let app: ExampleApp;
let browser: Browser;
let token: string;

beforeAll(async () => {
  app = await bootExample({ seed: true, env: { NODE_ENV: 'development' } });
  browser = await launchBrowser();
  token = (await developmentToken.readDevelopmentToken(app.strapi))!;
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Opens the page the way `npm start` links it (token in the fragment) and waits for the seeded articles. */
const openDemo = async (query = ''): Promise<{ page: Page; problems: PageProblems }> => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = watchProblems(page);
  await page.goto(`${app.httpUrl}/demo${query}#token=${token}`);
  await page.locator('#article-list .card').first().waitFor();
  return { page, problems };
};

const titles = (page: Page) => page.locator('#article-list .card h3').allInnerTexts();
const card = (page: Page, title: string) => page.locator('#article-list .card', { has: page.locator('h3', { hasText: title }) });
const socketLog = (page: Page) => page.locator('#socket-log strong').allInnerTexts();
const snapshot = (problems: PageProblems) => JSON.parse(JSON.stringify(problems)) as PageProblems;

describe('the live demo page', () => {
  it('keeps the list live through the form and buttons, and logs the raw Socket.IO events', { timeout: 90_000 }, async () => {
    const { page, problems } = await openDemo();
    await expect.poll(() => page.locator('#graphql-status').innerText()).toBe('GraphQL over WebSocket');
    await expect.poll(() => page.locator('#socket-status').getAttribute('data-state')).toBe('connected');
    expect(await titles(page)).toHaveLength(3);
    // The token came from the fragment and left the address bar.
    expect(page.url()).not.toContain('token=');

    // create
    await page.fill('input[name=title]', 'Hello from the demo page');
    await page.fill('textarea[name=summary]', 'Written through REST, delivered over GraphQL and Socket.IO.');
    await page.click('#submit');
    await expect.poll(() => titles(page)).toEqual(['Hello from the demo page', expect.any(String), expect.any(String), expect.any(String)]);
    await expect.poll(() => socketLog(page)).toEqual(['article:create']);

    // update
    await card(page, 'Hello from the demo page').getByRole('button', { name: 'Edit' }).click();
    expect(await page.locator('#submit').innerText()).toBe('Save changes');
    await page.fill('input[name=title]', 'Hello again from the demo page');
    await page.click('#submit');
    await expect.poll(() => titles(page)).toContain('Hello again from the demo page');
    expect(await titles(page)).not.toContain('Hello from the demo page');
    await expect.poll(() => socketLog(page)).toEqual(['article:update', 'article:create']);
    await saveScreenshot(page, 'demo-updated');

    // unpublish, then publish again
    await card(page, 'Hello again from the demo page').getByRole('button', { name: 'Unpublish' }).click();
    await expect.poll(() => titles(page)).not.toContain('Hello again from the demo page');
    await expect.poll(() => page.locator('#unpublished-list li span').allInnerTexts()).toEqual(['Hello again from the demo page']);
    await saveScreenshot(page, 'demo-unpublished');
    await page.locator('#unpublished-list').getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => titles(page)).toContain('Hello again from the demo page');
    expect(await page.locator('#unpublished').isHidden()).toBe(true);

    // delete
    await card(page, 'Hello again from the demo page').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => titles(page)).not.toContain('Hello again from the demo page');
    expect(await titles(page)).toHaveLength(3);
    await expect.poll(() => socketLog(page)).toEqual(['article:delete', 'article:publish', 'article:unpublish', 'article:update', 'article:create']);
    await saveScreenshot(page, 'demo-deleted');

    expect(snapshot(problems)).toEqual(noProblems);
    await page.close();
  });

  it('follows writes made elsewhere: REST and the Document Service', { timeout: 60_000 }, async () => {
    const { page, problems } = await openDemo();
    const created = expectOk(await rest(app, 'POST', '/api/articles', { token, body: { data: { title: 'Written with curl' } } }), 'create');
    await expect.poll(() => titles(page)).toContain('Written with curl');
    await app.strapi.documents(ARTICLE as never).update({ documentId: created.data.documentId, data: { title: 'Edited by a service' } as never, status: 'published' } as never);
    await expect.poll(() => titles(page)).toContain('Edited by a service');
    await app.strapi.documents(ARTICLE as never).unpublish({ documentId: created.data.documentId } as never);
    await expect.poll(() => titles(page)).not.toContain('Edited by a service');
    await expect.poll(() => page.locator('#unpublished-list li span').allInnerTexts()).toEqual(['Edited by a service']);
    // Publishing it again from elsewhere brings it back.
    await app.strapi.documents(ARTICLE as never).publish({ documentId: created.data.documentId } as never);
    await expect.poll(() => titles(page)).toContain('Edited by a service');
    await app.strapi.documents(ARTICLE as never).delete({ documentId: created.data.documentId } as never);
    await expect.poll(() => titles(page)).not.toContain('Edited by a service');
    expect(snapshot(problems)).toEqual(noProblems);
    await page.close();
  });

  it('falls back to SSE and stays live (?transport=sse stands in for a proxy without WebSocket)', { timeout: 60_000 }, async () => {
    const { page, problems } = await openDemo('?transport=sse');
    await expect.poll(() => page.locator('#graphql-status').innerText()).toBe('GraphQL over SSE');
    // Written through the page itself: its five event streams must leave it room for its own requests.
    await page.fill('input[name=title]', 'Delivered over SSE');
    await page.click('#submit');
    await expect.poll(() => titles(page)).toContain('Delivered over SSE');
    await card(page, 'Delivered over SSE').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => titles(page)).not.toContain('Delivered over SSE');
    await saveScreenshot(page, 'demo-sse');
    // The page never opened a WebSocket for GraphQL, so nothing failed on the way.
    expect(snapshot(problems)).toEqual(noProblems);
    await page.close();
  });

  it('lets a front end on another origin use Socket.IO by default (strapi::cors allows every origin)', async () => {
    // A page on its own origin, as a Vite dev server would serve it: empty, no CSP.
    const frontEnd = createServer((_request, response) => response.end('<!doctype html><title>front end</title>'));
    await new Promise<void>((resolve) => frontEnd.listen(0, '127.0.0.1', resolve));
    const page = await browser.newPage();
    try {
      await page.goto(`http://127.0.0.1:${(frontEnd.address() as AddressInfo).port}/`);
      const answer = await page.evaluate(async (url) => {
        const response = await fetch(url, { credentials: 'include' });
        return { status: response.status, body: await response.text() };
      }, `${app.httpUrl}/socket.io/?EIO=4&transport=polling`);
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('"sid"');
    } finally {
      await page.close();
      frontEnd.close();
    }
  });
});
