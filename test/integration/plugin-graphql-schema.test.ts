/**
 * One schema with @strapi/plugin-graphql: introspecting its `/graphql` shows the subscriptions next to its queries
 * and mutations, so graphql-codegen types a query and a subscription that share one fragment from one URL; both
 * then run (the query on plugin-graphql over HTTP, the subscription on our graphql-ws server on the same path).
 * A subscription with a connection field (`tags_connection`) is valid in plugin-graphql's schema but not in the
 * realtime schema the server executes with: the server answers with a validation error. Without plugin-graphql the
 * standalone SDL serves the same purpose.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '@graphql-codegen/cli';
import { buildSchema } from 'graphql';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { connectWs, errorMessages } from '../harness/graphql-clients';
import { createApiToken } from '../harness/principals';
import { expectOk, rest } from '../harness/rest';
import { ROOT, typeCheckInChildProcess } from '../harness/type-check';

const OUT = join(ROOT, 'test/.artifacts/one-schema-codegen');

const FRAGMENT = /* GraphQL */ `
  fragment ArticleSummary on Article {
    documentId
    title
    category {
      name
    }
  }
`;
const QUERY = /* GraphQL */ `
  query LatestArticles {
    articles(sort: "publishedAt:desc", pagination: { limit: 5 }) {
      ...ArticleSummary
    }
  }
`;
const SUBSCRIPTION = /* GraphQL */ `
  subscription ArticleSummaryCreated {
    articleCreated {
      ...ArticleSummary
    }
  }
`;

/** A consumer of the generated types: both operations' articles are the one fragment type. */
const USAGE = `
import { LatestArticlesDocument, ArticleSummaryCreatedDocument, type ArticleSummaryFragment, type LatestArticlesQuery, type ArticleSummaryCreatedSubscription } from './gql/graphql';
export const fromQuery = (data: LatestArticlesQuery): ArticleSummaryFragment[] => data.articles.flatMap((article) => (article ? [article] : []));
export const fromSubscription = (data: ArticleSummaryCreatedSubscription): ArticleSummaryFragment => data.articleCreated;
export const documents = [LatestArticlesDocument, ArticleSummaryCreatedDocument];
`;

let app: ExampleApp;
let token: string;

beforeAll(async () => {
  app = await bootExample({ seed: true });
  token = (await createApiToken(app.strapi, 'full-access')).accessKey;
});

afterAll(async () => {
  await app?.stop();
  rmSync(OUT, { recursive: true, force: true });
});

const graphqlHttp = async (query: string) => {
  const response = await fetch(`${app.httpUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: { message: string }[] } };
};

describe('one schema with @strapi/plugin-graphql', () => {
  it("introspection of /graphql shows every realtime subscription field, with plugin-graphql's own types", async () => {
    const { body } = await graphqlHttp('{ __schema { subscriptionType { fields { name type { ofType { name } } } } } }');
    const fields = body.data.__schema.subscriptionType.fields as { name: string; type: { ofType: { name: string } } }[];
    const standalone = buildSchema(await (await fetch(`${app.httpUrl}/graphql/schema.graphql`)).text());
    const standaloneFields = Object.keys(standalone.getSubscriptionType()!.getFields());
    expect(fields.map(({ name }) => name).sort()).toEqual(standaloneFields.sort());
    expect(fields.find(({ name }) => name === 'articleCreated')?.type.ofType.name).toBe('Article');
    expect(fields.find(({ name }) => name === 'articleDeleted')?.type.ofType.name).toBe('DocumentReference');
  });

  it('a subscription sent to plugin-graphql over HTTP is told where to subscribe', async () => {
    const { body } = await graphqlHttp('subscription { articleCreated { documentId } }');
    expect(body.errors?.[0].message).toMatch(/WebSocket \(graphql-ws, \/graphql\) and GraphQL over SSE \(\/graphql\/stream\)/);
  });

  it('codegen types a query and a subscription sharing one fragment from the one URL, and both run', { timeout: 120_000 }, async () => {
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'operations.graphql'), `${FRAGMENT}\n${QUERY}\n${SUBSCRIPTION}`);
    writeFileSync(join(OUT, 'usage.ts'), USAGE);
    await generate(
      {
        schema: `${app.httpUrl}/graphql`,
        documents: [join(OUT, 'operations.graphql')],
        silent: true,
        generates: {
          [`${OUT}/gql/`]: {
            preset: 'client',
            presetConfig: { fragmentMasking: false },
            config: { scalars: { DateTime: 'string', JSON: 'unknown', I18NLocaleCode: 'string', Long: 'string' }, enumsAsTypes: true, useTypeImports: true },
          },
        },
      },
      true,
    );
    expect(await typeCheckInChildProcess(OUT, [join(OUT, 'usage.ts')])).toEqual([]);

    // The query on plugin-graphql, the subscription on the realtime server: the same fragment text in both.
    const query = await graphqlHttp(`${FRAGMENT}\n${QUERY}`);
    expect(query.status).toBe(200);
    expect(query.body.data.articles.length).toBeGreaterThan(0);
    const ws = connectWs(app);
    const subscription = ws.subscribe(`${FRAGMENT}\n${SUBSCRIPTION}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const created = expectOk(await rest(app, 'POST', '/api/articles', { token, body: { data: { title: 'One fragment, two schemas' } } }), 'create');
    const [result] = await subscription.waitForResults(1);
    expect(result.data).toEqual({ articleCreated: { documentId: created.data.documentId, title: 'One fragment, two schemas', category: null } });
    void ws.dispose();
  });

  it("a selection only plugin-graphql's types have (tags_connection) passes codegen but the server rejects it", async () => {
    const introspected = await graphqlHttp('{ __type(name: "Article") { fields { name } } }');
    expect(introspected.body.data.__type.fields.map(({ name }: { name: string }) => name)).toContain('tags_connection');
    const ws = connectWs(app);
    const subscription = ws.subscribe('subscription { articleCreated { documentId tags_connection { nodes { name } } } }');
    expect(errorMessages(await subscription.waitForError())).toEqual(['Cannot query field "tags_connection" on type "Article".']);
    void ws.dispose();
  });

  it("the landing page of plugin-graphql (Apollo Sandbox) may open a WebSocket to the same origin: its CSP's connect-src has 'self'", async () => {
    const response = await fetch(`${app.httpUrl}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('EmbeddedSandbox');
    const connectSrc = /connect-src ([^;]*)/.exec(response.headers.get('content-security-policy') ?? '')?.[1] ?? '';
    expect(connectSrc.split(' ')).toContain("'self'");
  });

  it("Apollo Sandbox's way to subscribe works: graphql-ws on the same path, its headers as connection params", async () => {
    // Sandbox sends the headers of its UI (`Authorization: Bearer ...`) as the connection_init payload.
    const refused = connectWs(app, { connectionParams: { Authorization: 'Bearer not-a-token' } });
    refused.subscribe('subscription { articleCreated { documentId } }');
    expect((await refused.waitForClose()).code).toBe(4403);
    void refused.dispose();
    const ws = connectWs(app, { connectionParams: { Authorization: `Bearer ${token}` } });
    const drafts = ws.subscribe('subscription { articleCreated(status: DRAFT) { title } }');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await app.strapi.documents('api::article.article' as never).create({ data: { title: 'A draft seen through Sandbox headers' } as never } as never);
    const [result] = await drafts.waitForResults(1);
    expect(result.data).toEqual({ articleCreated: { title: 'A draft seen through Sandbox headers' } });
    void ws.dispose();
  });
});

describe('without @strapi/plugin-graphql', () => {
  it('the standalone SDL and the graphql-ws server still serve subscriptions', { timeout: 90_000 }, async () => {
    await app.stop();
    app = await bootExample({ seed: true, graphqlPlugin: false });
    const sdl = await fetch(`${app.httpUrl}/graphql/schema.graphql`);
    expect(sdl.status).toBe(200);
    expect(await sdl.text()).toContain('articleCreated(');
    // No GraphQL over HTTP on /graphql without plugin-graphql.
    expect((await fetch(`${app.httpUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })).status).toBeGreaterThanOrEqual(400);
    const ws = connectWs(app);
    const subscription = ws.subscribe('subscription { articleCreated { title } }');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await app.strapi.documents('api::article.article' as never).create({ data: { title: 'No plugin-graphql' } as never, status: 'published' } as never);
    expect((await subscription.waitForResults(1))[0].data).toEqual({ articleCreated: { title: 'No plugin-graphql' } });
    void ws.dispose();
  });
});
