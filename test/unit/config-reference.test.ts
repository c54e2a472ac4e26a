/**
 * The options' one declaration documents itself completely: every option says what it does and what its default
 * is, and what the docs show is what the printer made of that declaration (`npm test` also runs
 * `generate:config --check`, which compares the files).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatValue, printConfigTable, printPluginConfigType } from '../../src/config/config-reference';
import type { Fields, Spec } from '../../src/config/option-schema';
import { REALTIME_OPTIONS } from '../../src/config/realtime-options';

const ROOT = resolve(__dirname, '../..');

/** `[path, spec]` of every option, section and variant field, list items included. */
const everyOption = (fields: Fields, path = ''): [string, Spec][] =>
  Object.entries(fields).flatMap(([name, spec]): [string, Spec][] => {
    const key = path ? `${path}.${name}` : name;
    if (spec.kind === 'section') return [[key, spec], ...everyOption(spec.fields as Fields, key)];
    if (spec.kind === 'variants') return [[key, spec], ...Object.values(spec.variants as Record<string, Fields>).flatMap((variant) => everyOption(variant, key))];
    return [[key, spec], ...(spec.items ? everyOption(spec.items.fields, `${key}[]`) : [])];
  });

describe('the configuration reference', () => {
  const options = everyOption(REALTIME_OPTIONS);

  it('every option has documentation, and a default shown as it applies', () => {
    expect(options.length).toBeGreaterThan(50);
    for (const [path, spec] of options) {
      expect(spec.doc.length, path).toBeGreaterThan(10);
      expect(spec.doc, path).not.toMatch(/\*\/|\|/);
      if (spec.kind === 'option' && typeof spec.default === 'function') expect(spec.defaultDoc, `${path} depends on the environment`).toBeTruthy();
    }
  });

  it('the exported input type and the README table are the printed ones, with every option', () => {
    expect(readFileSync(resolve(ROOT, 'src/config/realtime-plugin-config.ts'), 'utf8')).toBe(printPluginConfigType());
    const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
    const table = printConfigTable();
    expect(readme).toContain(table);
    for (const [path] of options) expect(table, path).toContain(`\`${path}\``);
  });

  it('prints defaults as code', () => {
    expect([10, '/graphql', [], {}, { path: '/socket.io' }, ['a', 'b'], null, false].map(formatValue)).toEqual([
      '10',
      "'/graphql'",
      '[]',
      '{}',
      "{ path: '/socket.io' }",
      "['a', 'b']",
      'null',
      'false',
    ]);
  });
});
