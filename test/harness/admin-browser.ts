import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { EXAMPLE_DIR, type ExampleApp } from './example-app';
import type { AdminUser } from './admin-users';

/** Screenshots of the admin tests (gitignored; CI keeps them as artifacts). */
export const ARTIFACTS_DIR = resolve(__dirname, '../../test-artifacts');

/**
 * Builds the example's admin panel in a child process (Strapi's build creates an app instance of its own, and one
 * instance per process is all Strapi allows). Cached by a hash of its inputs: only the first run after a change
 * of the admin code or the app's config pays the build (about a minute), every later run skips it.
 */
export const buildExampleAdmin = async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [resolve(EXAMPLE_DIR, 'scripts/build-admin.js')], { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim().split('\n').at(-1);
};

/** Debian's chromium, headless, as CI has it (`.ci/run` installs it when missing). */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });

/** Logs in through the admin's own login form and waits for the home page. */
export const logIn = async (browser: Browser, app: ExampleApp, user: Pick<AdminUser, 'email' | 'password'>): Promise<Page> => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(`${app.httpUrl}/admin/auth/login`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.getByRole('navigation').first().waitFor();
  await page.waitForURL((url) => !url.pathname.includes('/auth/'));
  return page;
};

export const screenshot = async (page: Page, name: string, fullPage = false) => {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = resolve(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
};
