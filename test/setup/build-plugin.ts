import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const SOURCES = ['src', 'client', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.client.json'];
const OUTPUTS = ['dist/server/index.js', 'dist/client/index.js'];

const newestMtime = (path: string): number => {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
};

/**
 * The integration tests boot the example app, which loads the compiled plugin from dist/. A plain `vitest run`
 * after editing src/ would silently test stale code: rebuild first whenever a source is newer than the build.
 */
export default function buildPluginWhenStale() {
  const built = OUTPUTS.map((output) => join(ROOT, output));
  const oldestOutput = built.every(existsSync) ? Math.min(...built.map((path) => statSync(path).mtimeMs)) : 0;
  const newestSource = Math.max(...SOURCES.map((source) => join(ROOT, source)).filter(existsSync).map(newestMtime));
  if (newestSource <= oldestOutput) return;
  console.log('[test setup] src/ or client/ changed since the last build: npm run build');
  execSync('npm run build', { cwd: ROOT, stdio: 'inherit' });
}
