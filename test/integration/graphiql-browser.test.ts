/**
 * GraphiQL in a real browser (chromium driven by playwright-core), against the real example app: it opens with
 * no console error, no failed request and an empty result pane (its introspection is plain GraphQL over HTTP,
 * which the SSE endpoint answers), shows the example subscription, and running it then writing an article over
 * REST shows the event. Screenshots go to test/.artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { launchBrowser, noProblems, saveScreenshot, watchProblems } from '../harness/browser';
import { createApiToken } from '../harness/principals';
import { expectOk, rest } from '../harness/rest';
import { settle } from '../harness/wait';

/** The result pane's text (its editor renders spaces as no-break spaces). */
const resultText = async (page: import('playwright-core').Page) => (await page.locator('.graphiql-response').innerText()).replace(/\u00a0/g, ' ');

let app: ExampleApp;
let browser: Browser;
let token: string;

beforeAll(async () => {
  app = await bootExample({ seed: true });
  browser = await launchBrowser();
  token = (await createApiToken(app.strapi, 'full-access')).accessKey;
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('GraphiQL', () => {
  it('opens clean with the example subscription, and shows the event of a REST write', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const problems = watchProblems(page);
    const introspection = page.waitForResponse((response) => response.url().endsWith('/graphql/stream') && response.request().method() === 'POST');
    await page.goto(`${app.httpUrl}/graphql/stream`);
    expect((await introspection).status()).toBe(200);
    await page.getByText('subscription ArticleCreated').waitFor();
    await settle(500);
    // Before anything runs: no "Stream not found" in the result pane, nothing broken in the console.
    expect(await resultText(page)).not.toContain('errors');
    expect(JSON.parse(JSON.stringify(problems))).toEqual(noProblems);
    await saveScreenshot(page, 'graphiql-opened');

    const stream = page.waitForResponse((response) => (response.headers()['content-type'] ?? '').startsWith('text/event-stream'));
    await page.locator('.graphiql-execute-button').click();
    expect((await stream).status()).toBe(200);
    const title = `Seen in GraphiQL ${Date.now()}`;
    expectOk(await rest(app, 'POST', '/api/articles', { token, body: { data: { title } } }), 'create an article');
    await expect.poll(() => resultText(page), { timeout: 10_000 }).toContain(`"title": "${title}"`);
    await saveScreenshot(page, 'graphiql-event');
    // Read before the page closes (closing aborts the open event stream, which is not a problem).
    expect(JSON.parse(JSON.stringify(problems))).toEqual(noProblems);
    await page.close();
  });
});
