/**
 * Type tests: the generated documents and event map must type client code, and reading what a subscription
 * does not deliver (unknown fields, unselected fields, the private `internalNotes`) must not compile. The
 * fixtures are compiled with the root tsconfig's options; must-fail fixtures mark each line that has to fail
 * (`// expect-error TS2339`), and exactly those errors are expected: failing for another reason fails the test.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const PASSING = ['test/types/typed-clients.ts', 'test/types/plugin-config.ts'];
const FAILING = [
  'test/types/must-fail/unknown-field.ts',
  'test/types/must-fail/internal-notes.ts',
  'test/types/must-fail/wrong-variables.ts',
  'test/types/must-fail/plugin-config-typos.ts',
];

const compilerOptions = (): ts.CompilerOptions => {
  const { config, error } = ts.readConfigFile(resolve(ROOT, 'tsconfig.json'), ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  return { ...ts.parseJsonConfigFileContent(config, ts.sys, ROOT).options, noEmit: true };
};

/** `line: TSxxxx` for every error of a file. */
const describeDiagnostic = (diagnostic: ts.Diagnostic) => {
  const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
  return `${line + 1}: TS${diagnostic.code}`;
};

const expectedErrors = (file: string) =>
  readFileSync(resolve(ROOT, file), 'utf8')
    .split('\n')
    .flatMap((text, index) => {
      const marker = /\/\/ expect-error (TS\d+)/.exec(text);
      return marker ? [`${index + 1}: ${marker[1]}`] : [];
    });

describe('generated types', () => {
  const errors = new Map<string, { summary: string[]; messages: string[] }>();
  const globalErrors: string[] = [];

  beforeAll(() => {
    // One program for every fixture: they share the (slow to load) Apollo, urql and React typings.
    const program = ts.createProgram([...PASSING, ...FAILING].map((file) => resolve(ROOT, file)), compilerOptions());
    for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      if (!diagnostic.file) {
        globalErrors.push(message);
        continue;
      }
      const file = relative(ROOT, diagnostic.file.fileName);
      const entry = errors.get(file) ?? { summary: [], messages: [] };
      entry.summary.push(describeDiagnostic(diagnostic));
      entry.messages.push(`${describeDiagnostic(diagnostic)} ${message}`);
      errors.set(file, entry);
    }
  }, 120_000);

  it('the compiler options load without errors', () => {
    expect(globalErrors).toEqual([]);
  });

  it('only fixtures report errors (the client library and generated/ compile cleanly)', () => {
    expect([...errors.keys()].filter((file) => !FAILING.includes(file))).toEqual([]);
  });

  it('Apollo and urql useSubscription, the realtime client and the socket map are typed by the generated files', () => {
    for (const file of PASSING) expect(errors.get(file)?.messages ?? [], file).toEqual([]);
  });

  for (const file of FAILING) {
    it(`${file} fails to compile with exactly its marked errors`, () => {
      const expected = expectedErrors(file);
      expect(expected.length).toBeGreaterThan(0);
      const actual = errors.get(file);
      expect(actual?.summary ?? [], actual?.messages.join('\n')).toEqual(expected);
    });
  }
});
