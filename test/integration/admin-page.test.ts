/**
 * The Realtime page in a real browser (Debian's chromium driven by playwright-core) on the real example app with
 * its admin panel built: a Super Admin logs in, opens the page from the menu and watches it follow real clients
 * and a real REST write live; an Editor (no plugin::realtime.read) sees neither the menu entry nor the page.
 * Screenshots go to test-artifacts/.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { createApiToken, grant, type TestApiToken } from '../harness/principals';
import { expectOk, rest } from '../harness/rest';
import { connectWs } from '../harness/graphql-clients';
import { closeAllClients, connectClient } from '../harness/socket-client';
import { READ_EVERYTHING } from '../harness/permission-matrix';
import { createAdminUser, type AdminUser } from '../harness/admin-users';
import { buildExampleAdmin, launchChromium, logIn, screenshot } from '../harness/admin-browser';

/** The page polls every 1.5 s; a change must show within a few polls even on a busy CI machine. */
const LIVE_TIMEOUT_MS = 15_000;

describe('Realtime page in the admin panel (chromium)', () => {
  let app: ExampleApp;
  let browser: Browser;
  let writer: TestApiToken;
  let superAdmin: AdminUser;
  let editor: AdminUser;

  beforeAll(async () => {
    await buildExampleAdmin();
    app = await bootExample({ adminPanel: true });
    writer = await createApiToken(app.strapi, 'full-access');
    await grant(app.strapi, 'public', READ_EVERYTHING);
    superAdmin = await createAdminUser(app.strapi, 'strapi-super-admin');
    editor = await createAdminUser(app.strapi, 'strapi-editor');
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    closeAllClients();
    await browser?.close();
    await app?.stop();
  });

  const cell = (page: Page, testId: string) => page.getByTestId(testId);

  it('shows connections and the event log live, from the menu link, for a Super Admin', async () => {
    const page = await logIn(browser, app, superAdmin);
    await page.getByRole('link', { name: 'Realtime' }).click();
    await page.getByRole('heading', { name: 'Transports' }).waitFor();
    expect(page.url()).toMatch(/\/admin\/plugins\/realtime$/);
    await expect.poll(() => cell(page, 'connections-graphql-ws').textContent()).toBe('0');
    await expect.poll(() => cell(page, 'connections-socket.io').textContent()).toBe('0');

    // A real graphql-ws subscriber and a real Socket.IO client: the counts change without reloading.
    const ws = connectWs(app);
    const subscription = ws.subscribe(`subscription { articleCreated { documentId title } }`);
    await connectClient(app);
    await expect.poll(() => cell(page, 'connections-graphql-ws').textContent(), { timeout: LIVE_TIMEOUT_MS }).toBe('1');
    await expect.poll(() => cell(page, 'subscriptions-graphql-ws').textContent(), { timeout: LIVE_TIMEOUT_MS }).toBe('1');
    await expect.poll(() => cell(page, 'connections-socket.io').textContent(), { timeout: LIVE_TIMEOUT_MS }).toBe('1');

    // An article created over REST appears in the event log with its reach, and no field value is shown.
    const article = expectOk(
      await rest(app, 'POST', '/api/articles', { token: writer.accessKey, body: { data: { title: 'Shown nowhere on the page' } } }),
      'create article',
    ).data;
    await subscription.waitForResults(1);
    const row = page.locator(`[data-testid="event-row"][data-document-id="${article.documentId}"]`);
    await row.waitFor({ timeout: LIVE_TIMEOUT_MS });
    await expect.poll(() => row.getByTestId('event-subscribers').textContent(), { timeout: LIVE_TIMEOUT_MS }).toBe('2');
    const rowText = await row.textContent();
    expect(rowText).toContain('api::article.article');
    expect(rowText).toContain('created');
    expect(await page.getByTestId('events-captured').textContent()).toMatch(/^[1-9]\d*$/);
    expect(await page.content()).not.toContain('Shown nowhere on the page');
    expect(await page.getByTestId('endpoint-graphqlWs').textContent()).toBe(`ws://127.0.0.1:${app.port}/graphql`);
    expect(await page.getByTestId('effective-config').textContent()).toContain('"eventLogSize": 1000');

    await screenshot(page, 'admin-realtime-page', true);
    void ws.dispose();
    closeAllClients();
    await expect.poll(() => cell(page, 'connections-total').textContent(), { timeout: LIVE_TIMEOUT_MS }).toBe('0');
    await page.close();
  }, 120_000);

  it('shows no Realtime page to an Editor (no plugin::realtime.read)', async () => {
    const page = await logIn(browser, app, editor);
    // The content manager link proves the menu rendered; the Realtime link is not in it.
    await page.getByRole('link', { name: 'Content Manager' }).waitFor();
    expect(await page.getByRole('link', { name: 'Realtime' }).count()).toBe(0);

    // Typing the URL shows Strapi's "no permissions" page, and the page never called its API.
    const apiCalls: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/realtime/')) apiCalls.push(request.url());
    });
    await page.goto(`${app.httpUrl}/admin/plugins/realtime`);
    await page.getByText("You don't have the permissions to access that content").waitFor();
    expect(await page.getByRole('heading', { name: 'Transports' }).count()).toBe(0);
    expect(apiCalls).toEqual([]);
    await screenshot(page, 'admin-realtime-page-editor');
    await page.close();
  }, 120_000);

  it('serves no metrics endpoint by default', async () => {
    expect((await fetch(`${app.httpUrl}/realtime/metrics`)).status).toBe(404);
    expect(existsSync(`${process.cwd()}/test-artifacts/admin-realtime-page.png`)).toBe(true);
  });
});
