/**
 * The CommonJS build of the client library, for `require('strapi-plugin-realtime/client')` (Node without ESM,
 * Jest, older bundlers): every ES module tsc wrote to dist/client/ is transformed file by file (no bundling, the
 * same modules and exports) to dist/client/cjs/, which a package.json marks as CommonJS; the declarations are
 * copied beside them so TypeScript resolves `require` to types in the right module format.
 * Run by `npm run build` after tsc.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

const ESM_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'client');
const CJS_DIR = join(ESM_DIR, 'cjs');

const filesUnder = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === CJS_DIR ? [] : filesUnder(path);
    return [path];
  });

rmSync(CJS_DIR, { recursive: true, force: true });
for (const file of filesUnder(ESM_DIR)) {
  const target = join(CJS_DIR, relative(ESM_DIR, file));
  mkdirSync(dirname(target), { recursive: true });
  if (file.endsWith('.d.ts')) copyFileSync(file, target);
  else if (file.endsWith('.js')) {
    const { code } = transformSync(readFileSync(file, 'utf8'), { format: 'cjs', platform: 'neutral', target: 'es2022', sourcefile: file });
    writeFileSync(target, code);
  }
}
writeFileSync(join(CJS_DIR, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
