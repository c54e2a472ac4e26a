import { resolve } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(__dirname, '../..');

/** The root tsconfig's compiler options (strict), without emitting. */
export const rootCompilerOptions = (overrides: ts.CompilerOptions = {}): ts.CompilerOptions => {
  const { config, error } = ts.readConfigFile(resolve(ROOT, 'tsconfig.json'), ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  return { ...ts.parseJsonConfigFileContent(config, ts.sys, ROOT).options, noEmit: true, ...overrides };
};

/** Compiles the files in one program; returns every diagnostic as `file:line: TSxxxx message` (empty = compiles). */
export const typeCheck = (files: string[], overrides: ts.CompilerOptions = {}): string[] => {
  const program = ts.createProgram(files, rootCompilerOptions(overrides));
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!diagnostic.file) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    return `${diagnostic.file.fileName}:${line + 1}: TS${diagnostic.code} ${message}`;
  });
};

/**
 * The same check in a child process (asynchronous): for tests whose Strapi server runs in this process, which a
 * synchronous compilation would freeze for seconds. Returns tsc's diagnostics (empty = compiles).
 */
export const typeCheckInChildProcess = async (dir: string, files: string[]): Promise<string[]> => {
  const { writeFileSync } = await import('node:fs');
  const { join, relative } = await import('node:path');
  const { execFile } = await import('node:child_process');
  const project = join(dir, 'tsconfig.json');
  writeFileSync(project, JSON.stringify({ extends: relative(dir, resolve(ROOT, 'tsconfig.json')), compilerOptions: { noEmit: true }, include: files.map((file) => relative(dir, file)), exclude: [] }));
  return new Promise((done) => {
    execFile(process.execPath, [resolve(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], { encoding: 'utf8' }, (_error, stdout) =>
      done(stdout.split('\n').filter((line) => line.trim())),
    );
  });
};
