/**
 * The socket-events codegen plugin on a schema built by the plugin's own schema builder, with a `populate`
 * covering every kind of nested field (to-one and to-many relations, media, a component, a dynamic zone, and a
 * name the GraphQL type does not have). The output is then compiled next to graphql-codegen's `typescript`
 * output, and the payload types are checked field by field.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { generate } from '@graphql-codegen/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRealtimeSchema } from '../../src/schema/build-schema';
import type { ContentModel } from '../../src/schema/content-model';
import { printRealtimeSdl } from '../../src/schema/print-sdl';
import * as socketEventsPlugin from '../../src/codegen/socket-events-plugin';
import { readSocketEvents } from '../../src/codegen/socket-event-specs';

const contentType = (uid: string, singularName: string, attributes: ContentModel['attributes'], draftAndPublish = false): ContentModel => ({
  uid,
  modelType: 'contentType',
  kind: 'collectionType',
  info: { singularName, displayName: singularName },
  options: { draftAndPublish },
  attributes,
});
const component = (uid: string, globalId: string, attributes: ContentModel['attributes']): ContentModel => ({
  uid,
  modelType: 'component',
  globalId,
  info: { displayName: globalId },
  attributes,
});

const MODELS = [
  contentType(
    'api::article.article',
    'article',
    {
      title: { type: 'string', required: true },
      views: { type: 'integer' },
      kind: { type: 'enumeration', enum: ['news', 'opinion'] },
      internalNotes: { type: 'string', private: true },
      category: { type: 'relation', relation: 'manyToOne', target: 'api::category.category' },
      tags: { type: 'relation', relation: 'manyToMany', target: 'api::tag.tag' },
      cover: { type: 'media', multiple: false },
      seo: { type: 'component', component: 'shared.seo' },
      blocks: { type: 'dynamiczone', components: ['shared.seo', 'shared.quote'] },
    },
    true,
  ),
  contentType('api::category.category', 'category', { name: { type: 'string', required: true } }),
  contentType('api::tag.tag', 'tag', { name: { type: 'string', required: true } }),
  { ...contentType('plugin::upload.file', 'file', { url: { type: 'string', required: true }, width: { type: 'integer' } }), plugin: 'upload' },
  component('shared.seo', 'ComponentSharedSeo', { metaTitle: { type: 'string' } }),
  component('shared.quote', 'ComponentSharedQuote', { text: { type: 'text', required: true } }),
];

const POPULATE = ['category', 'tags', 'cover', 'seo', 'blocks', 'createdBy'];

const { schema } = buildRealtimeSchema({
  getModel: (uid) => MODELS.find((model) => model.uid === uid),
  contentTypes: [
    { uid: 'api::article.article', actions: ['created', 'updated', 'deleted', 'draftDiscarded'] },
    { uid: 'api::tag.tag', actions: ['created'] },
  ],
  sensitiveFields: new Set(),
  socketEvent: (uid, action) => {
    const prefix = uid === 'api::tag.tag' ? 'tag' : 'article';
    const verb = { created: 'create', updated: 'update', deleted: 'delete' }[action as string];
    return verb ? { name: `${prefix}:${verb}`, populate: uid === 'api::tag.tag' || action === 'deleted' ? [] : POPULATE } : null;
  },
});
const SDL = printRealtimeSdl(schema);

describe('socket-events codegen plugin', () => {
  it('reads every @socketEvent, with the populated fields of each', () => {
    const specs = readSocketEvents(schema);
    expect(specs.map((spec) => [spec.event, spec.field, spec.reference])).toEqual([
      ['article:create', 'articleCreated', false],
      ['article:update', 'articleUpdated', false],
      ['article:delete', 'articleDeleted', true],
      ['tag:create', 'tagCreated', false],
    ]);
    const created = specs[0];
    expect(created.shape).toEqual({ typeName: 'Article', scalars: ['documentId', 'title', 'views', 'kind'] });
    expect(created.populated.map(({ name, list, union, targets }) => [name, list, union, targets?.map((t) => t.typeName) ?? null])).toEqual([
      ['category', false, false, ['Category']],
      ['tags', true, false, ['Tag']],
      ['cover', false, false, ['UploadFile']],
      ['seo', false, false, ['ComponentSharedSeo']],
      ['blocks', true, true, ['ComponentSharedSeo', 'ComponentSharedQuote']],
      ['createdBy', false, false, null],
    ]);
  });

  describe('its output, compiled with the typescript plugin output', () => {
    let dir: string;
    const diagnostics: string[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'socket-events-'));
      const outputs = await generate(
        {
          cwd: dir,
          schema: SDL,
          silent: true,
          generates: {
            [join(dir, 'graphql.ts')]: { plugins: ['typescript'], config: { enumsAsTypes: true, scalars: { DateTime: 'string', JSON: 'unknown', I18NLocaleCode: 'string' } } },
            [join(dir, 'socket-events.ts')]: { plugins: ['socket-events'] },
          },
          // The plugin under test from source; codegen's own plugins the usual way.
          pluginLoader: async (name: string) => (name.endsWith('socket-events') ? socketEventsPlugin : import(name)),
        },
        false,
      );
      for (const { filename, content } of outputs) writeFileSync(filename, content);
      writeFileSync(
        join(dir, 'check.ts'),
        `import type { ServerToClientEvents, SocketEventPayload } from './socket-events';
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(): T | undefined => undefined;
type Created = SocketEventPayload<'article:create'>;
expectType<Equal<Created['id'], number>>();
expectType<Equal<Created['title'], string>>();
expectType<Equal<Created['views'], number | null>>();
expectType<Equal<Created['kind'], 'news' | 'opinion' | null>>();
expectType<Equal<Created['category'], ({ documentId: string; name: string } & { id: number }) | null>>();
expectType<Equal<Created['tags'][number]['name'], string>>();
expectType<Equal<NonNullable<Created['cover']>['url'], string>>();
expectType<Equal<NonNullable<Created['seo']>, { metaTitle: string | null } & { id: number }>>();
const block = {} as Created['blocks'][number];
if ('text' in block) expectType<Equal<typeof block.text, string>>();
expectType<Equal<typeof block.__component, string>>();
expectType<Equal<Created['createdBy'], unknown>>();
expectType<Equal<SocketEventPayload<'article:update'>, Created>>();
expectType<Equal<SocketEventPayload<'article:delete'>, { documentId: string; locale: string | null }>>();
expectType<Equal<keyof ServerToClientEvents, 'article:create' | 'article:update' | 'article:delete' | 'tag:create'>>();
// @ts-expect-error the private attribute is in no type
type Notes = Created['internalNotes'];
// @ts-expect-error a tag's payload has no relations
type TagArticles = SocketEventPayload<'tag:create'>['articles'];
export type { Notes, TagArticles };
`,
      );
      const program = ts.createProgram([join(dir, 'check.ts')], {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        types: [],
      });
      for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
        const where = diagnostic.file ? `${diagnostic.file.fileName.slice(dir.length + 1)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1} ` : '';
        diagnostics.push(`${where}${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
      }
    }, 60_000);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('types each payload as the Socket.IO transport projects it', () => {
      expect(diagnostics).toEqual([]);
    });
  });

  it('refuses outputs that are not TypeScript and schemas without subscriptions', async () => {
    expect(() => socketEventsPlugin.validate(schema, [], {}, 'socket-events.js', [])).toThrow(/must end with \.ts/);
    const { GraphQLObjectType, GraphQLSchema, GraphQLString } = await import('graphql');
    const plain = new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: { a: { type: GraphQLString } } }) });
    expect(() => socketEventsPlugin.validate(plain, [], {}, 'socket-events.ts', [])).toThrow(/no Subscription type/);
  });
});
