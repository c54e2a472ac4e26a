/**
 * The README's code blocks cannot rot: each one is extracted and checked as a reader would use it. The GraphQL
 * operations validate against the example app's schema; the schema excerpt matches the real fields; codegen runs
 * with the README's own codegen.ts on those operations, and every TypeScript block (Apollo, urql, Node, Socket.IO)
 * compiles against what it generated, as files in a front-end project would. The blocks that run (plugin
 * config, Socket.IO, the Node clients, the printed sample) are run against the real app by
 * test/integration/readme-snippets-run.test.ts. A new block must be one of these kinds, or this test fails.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kind, astFromValue, buildSchema, parse, print, validate, type GraphQLField, type GraphQLSchema } from 'graphql';
import { generate } from '@graphql-codegen/cli';
import { parse as parseYaml } from 'yaml';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { defaultConfig } from '../../src/config';
import { readmeSnippets, snippetWith, type Snippet } from '../harness/readme-snippets';
import { ROOT, typeCheck } from '../harness/type-check';

/** A front-end project as the README's steps build it, inside the repository so its packages resolve. */
const PROJECT = join(ROOT, 'test/.artifacts/readme-snippets');
const SCHEMA_FILE = join(ROOT, 'generated/schema.graphql');

const snippets = readmeSnippets();
const schema: GraphQLSchema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
const where = (snippet: Snippet) => `README.md:${snippet.line}`;
const isTypeScript = (snippet: Snippet) => snippet.lang === 'ts' || snippet.lang === 'tsx';

/** `name(arg: Type = default, ...): Type` of a field of the real schema. */
const signatureOf = (field: GraphQLField<unknown, unknown>) => {
  const args = field.args.map((arg) => {
    const value = arg.defaultValue === undefined ? null : astFromValue(arg.defaultValue, arg.type);
    return `${arg.name}: ${String(arg.type)}${value ? ` = ${print(value)}` : ''}`;
  });
  return `${field.name}${args.length ? `(${args.join(', ')})` : ''}: ${String(field.type)}`;
};

describe('README code blocks', () => {
  it('every block is of a kind this suite checks', () => {
    const unchecked = snippets.filter((snippet) => {
      if (isTypeScript(snippet) || snippet.lang === 'bash') return false;
      if (snippet.lang === 'js') return !snippet.directives.some((directive) => directive.startsWith('run:'));
      if (snippet.lang === 'graphql') return !snippet.directives.some((directive) => directive === 'operations' || directive === 'schema-excerpt');
      if (snippet.lang === 'text') return !snippet.directives.includes('npm-start-output');
      if (snippet.lang === 'yaml') return !snippet.directives.includes('prometheus-scrape-config');
      return true;
    });
    expect(unchecked.map((snippet) => `${where(snippet)} (${snippet.lang || 'no language'})`)).toEqual([]);
    expect(snippets.filter(isTypeScript).length).toBeGreaterThanOrEqual(5);
  });

  it("the Prometheus scrape config parses and names the plugin's metrics path", () => {
    const block = snippetWith('prometheus-scrape-config', snippets);
    expect(parseYaml(block.code)).toMatchObject({ scrape_configs: [expect.objectContaining({ metrics_path: defaultConfig().metrics.path })] });
  });

  it('the operations validate against the schema', () => {
    const operations = snippetWith('operations', snippets);
    expect(validate(schema, parse(operations.code)).map((error) => error.message)).toEqual([]);
  });

  it('the schema excerpt shows real fields with their real arguments and types', () => {
    const excerpt = snippetWith('schema-excerpt', snippets);
    const mismatches: string[] = [];
    for (const definition of parse(excerpt.code).definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
      const real = schema.getType(definition.name.value);
      if (!real || !('getFields' in real)) {
        mismatches.push(`no type ${definition.name.value}`);
        continue;
      }
      const realFields = real.getFields() as Record<string, GraphQLField<unknown, unknown>>;
      for (const field of definition.fields ?? []) {
        const args = (field.arguments ?? []).map((arg) => `${arg.name.value}: ${print(arg.type)}${arg.defaultValue ? ` = ${print(arg.defaultValue)}` : ''}`);
        const shown = `${field.name.value}${args.length ? `(${args.join(', ')})` : ''}: ${print(field.type)}`;
        const actual = realFields[field.name.value] ? signatureOf(realFields[field.name.value]) : `(no field ${field.name.value})`;
        if (shown !== actual) mismatches.push(`README: ${shown}\nschema: ${actual}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  describe('a front-end project built from the README', () => {
    let typeErrors: string[] = [];

    beforeAll(async () => {
      rmSync(PROJECT, { recursive: true, force: true });
      mkdirSync(join(PROJECT, 'src/graphql'), { recursive: true });
      copyFileSync(SCHEMA_FILE, join(PROJECT, 'schema.graphql'));
      writeFileSync(join(PROJECT, 'src/graphql/articles.graphql'), snippetWith('operations', snippets).code);
      const codegenFile = join(PROJECT, 'codegen.ts');
      writeFileSync(codegenFile, snippetWith('codegen-config', snippets).code);

      // Step 4 as written: the README's config, run from the project directory.
      const config = ((await import(codegenFile)) as { default: CodegenConfig }).default;
      // Plugins load from the project, where `strapi-plugin-realtime` resolves to this package (as once installed).
      const projectRequire = createRequire(join(PROJECT, 'codegen.ts'));
      await generate({ ...config, cwd: PROJECT, silent: true, pluginLoader: projectRequire } as CodegenConfig & { cwd: string }, true);

      const files = [codegenFile];
      snippets.filter(isTypeScript).forEach((snippet, index) => {
        if (snippet.directives.includes('codegen-config')) return;
        const file = join(PROJECT, snippet.path ?? `src/snippet-${index}.${snippet.lang}`);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, snippet.code);
        files.push(file);
      });
      typeErrors = typeCheck(files, { jsx: ts.JsxEmit.ReactJSX });
    }, 180_000);

    afterAll(() => rmSync(PROJECT, { recursive: true, force: true }));

    it("codegen runs with the README's codegen.ts and writes the typed documents and the Socket.IO map", () => {
      expect(readFileSync(join(PROJECT, 'src/gql/graphql.ts'), 'utf8')).toContain('export const ArticleCreatedDocument');
      expect(readFileSync(join(PROJECT, 'src/gql/socket-events.ts'), 'utf8')).toContain("'article:create'");
    });

    it('every TypeScript block compiles (strict) against the generated types', () => {
      expect(typeErrors.map((error) => error.replace(`${PROJECT}/`, ''))).toEqual([]);
    });
  });
});
