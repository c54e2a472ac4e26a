/**
 * Writes what is printed from the options' one declaration (src/config/realtime-options.ts): the exported input
 * type src/config/realtime-plugin-config.ts and the README's configuration table. `--check` writes nothing and
 * fails when either differs (run by `npm test`). The printer is TypeScript: esbuild bundles it in memory, so this
 * needs no build of the plugin first.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TYPE_FILE = join(ROOT, 'src/config/realtime-plugin-config.ts');
const README = join(ROOT, 'README.md');

const loadPrinter = () => {
  const { outputFiles } = buildSync({
    entryPoints: [join(ROOT, 'src/config/config-reference.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    external: ['socket.io'],
  });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
  return module.exports;
};

const { printPluginConfigType, withConfigTable } = loadPrinter();
const expected = [
  [TYPE_FILE, printPluginConfigType()],
  [README, withConfigTable(readFileSync(README, 'utf8'))],
];

if (process.argv.includes('--check')) {
  const stale = expected.filter(([file, text]) => readFileSync(file, 'utf8') !== text).map(([file]) => file.slice(ROOT.length + 1));
  if (stale.length > 0) {
    console.error(`The configuration reference is out of date in ${stale.join(' and ')}: run npm run generate:config`);
    process.exit(1);
  }
} else {
  for (const [file, text] of expected) writeFileSync(file, text);
}
