/**
 * `npm run screenshot`: the README's first picture, docs/demo.png, made the way a newcomer sees the demo. Runs
 * `npm start`'s script on a fresh temporary database, opens the printed demo link in headless chromium
 * (CHROMIUM_PATH, default /usr/bin/chromium), creates one article with the form and edits another, then takes
 * the screenshot and stops the app.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUT = join(ROOT, 'docs', 'demo.png');
const dir = mkdtempSync(join(tmpdir(), 'realtime-screenshot-'));

const { NODE_ENV: _unset, ...env } = process.env;
const app = spawn(process.execPath, [join(ROOT, 'example/scripts/start.js')], {
  env: { ...env, PORT: '0', HOST: '127.0.0.1', DATABASE_FILENAME: join(dir, 'data.db'), STRAPI_TELEMETRY_DISABLED: 'true' },
  stdio: ['ignore', 'pipe', 'inherit'],
});

const demoUrl = await new Promise((resolve, reject) => {
  let output = '';
  const timer = setTimeout(() => reject(new Error(`no demo link after 120 s:\n${output}`)), 120_000);
  app.stdout.on('data', (chunk) => {
    output += chunk;
    const link = /Live demo page\s+(\S+)/.exec(output);
    if (link && output.includes('Stop with Ctrl+C.')) {
      clearTimeout(timer);
      resolve(link[1]);
    }
  });
  app.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  await page.goto(demoUrl);
  await page.locator('#article-list .card').nth(2).waitFor();
  await page.locator('#socket-status[data-state="connected"]').waitFor();

  await page.fill('input[name=title]', 'Hello, realtime');
  await page.fill('textarea[name=summary]', 'Written through REST with the development token, delivered live.');
  await page.click('#submit');
  await page.locator('#article-list .card h3', { hasText: 'Hello, realtime' }).waitFor();

  const apolloCard = page.locator('#article-list .card', { has: page.locator('h3', { hasText: 'Subscribing from Apollo Client' }) });
  await apolloCard.getByRole('button', { name: 'Edit' }).click();
  await page.fill('input[name=title]', 'Subscribing from Apollo Client 4');
  await page.click('#submit');
  await page.locator('#article-list .card h3', { hasText: 'Subscribing from Apollo Client 4' }).waitFor();
  await page.locator('#socket-log li').nth(1).waitFor();
  // Let the highlight of the last change fade a little, as a person would see it.
  await page.waitForTimeout(700);
  await page.screenshot({ path: OUTPUT });
  console.log(`wrote ${OUTPUT}`);
} finally {
  await browser.close();
  app.kill('SIGINT');
  await new Promise((resolve) => app.on('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}
