import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (`.ci/run` installs it); CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots of the browser tests (gitignored), for a person to look at after a run. */
export const ARTIFACTS_DIR = resolve(__dirname, '../.artifacts');

/** Headless chromium as CI runs it: no sandbox (root in a container), no GPU, no background traffic. */
export const launchBrowser = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No chromium at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
};

/** Everything a page reported that a user would see as broken: console errors, uncaught errors, failed or 4xx/5xx requests. */
export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
  errorResponses: string[];
}

/** Starts recording a page's problems; read the returned object at any time. */
export const watchProblems = (page: Page): PageProblems => {
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], failedRequests: [], errorResponses: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  page.on('requestfailed', (request) => problems.failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.errorResponses.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  return problems;
};

export const noProblems: PageProblems = { consoleErrors: [], pageErrors: [], failedRequests: [], errorResponses: [] };

/** Saves a screenshot under test/.artifacts/ and returns its path. */
export const saveScreenshot = async (page: Page, name: string): Promise<string> => {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
};
