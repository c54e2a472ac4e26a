import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { connectSse, connectWs, errorMessages, type Recorded } from '../harness/graphql-clients';
import { settle } from '../harness/wait';
import { PERMISSION_MATRIX, createMatrixFixtures, findLeaks, resetPublicRole, type MatrixRow } from '../harness/permission-matrix';

const QUERY = `subscription { articleCreated { documentId title category { name } author { username email } } }`;

/** One transport's way to connect as a principal and subscribe (or learn it was refused). */
interface MatrixTransport {
  name: string;
  subscribe(app: ExampleApp, credential: string | null): Promise<{ refusedWith?: string; subscription?: Recorded; dispose(): void }>;
}

const transports: MatrixTransport[] = [
  {
    name: 'graphql-ws',
    async subscribe(app, credential) {
      const client = connectWs(app, { token: credential });
      const subscription = client.subscribe(QUERY);
      await settle(300);
      const closed = client.closes[0];
      return closed ? { refusedWith: `${closed.code} ${closed.reason}`, dispose: () => void client.dispose() } : { subscription, dispose: () => void client.dispose() };
    },
  },
  {
    name: 'graphql-sse',
    async subscribe(app, credential) {
      const response = await fetch(`${app.httpUrl}/graphql/stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
        body: JSON.stringify({ query: '{ realtimeSubscriptions }' }),
      });
      if (response.status === 401) return { refusedWith: `401 ${JSON.stringify(await response.json())}`, dispose: () => undefined };
      await response.body?.cancel();
      const client = connectSse(app, { token: credential });
      const subscription = client.subscribe(QUERY);
      await settle(300);
      return { subscription, dispose: client.dispose };
    },
  },
];

describe.each(transports)('permission matrix over $name', (transport) => {
  let app: ExampleApp;
  let fixtures: Awaited<ReturnType<typeof createMatrixFixtures>>;
  beforeAll(async () => {
    app = await bootExample({ realtimeConfig: { socket: { enabled: false } } });
    fixtures = await createMatrixFixtures(app);
  });
  afterAll(() => app?.stop());

  it.each(PERMISSION_MATRIX)('$name', async (row: MatrixRow) => {
    await resetPublicRole(app);
    const credential = await row.prepare(app);
    const outcome = await transport.subscribe(app, credential);
    try {
      if (row.refused) {
        expect(outcome.refusedWith).toMatch(new RegExp(row.refused));
        return;
      }
      expect(outcome.refusedWith).toBeUndefined();
      const subscription = outcome.subscription!;
      if (!row.receives) {
        expect(errorMessages(await subscription.waitForError()).join()).toMatch(/Forbidden/);
        await fixtures.publishArticle(`${row.name} (must not arrive)`);
        await settle();
        expect(subscription.results.filter((r) => r.data)).toEqual([]);
        return;
      }
      await fixtures.createDraft(`${row.name} draft`);
      const documentId = await fixtures.publishArticle(row.name);
      const [result] = await subscription.waitForResults(1);
      await settle(200);
      expect(subscription.results).toHaveLength(1);
      const article = result.data.articleCreated;
      expect(article).toMatchObject({ documentId, title: row.name });
      expect(findLeaks(result)).toEqual([]);
      expect(article.author !== null).toBe(Boolean(row.seesAuthor));
      expect(article.category !== null).toBe(Boolean(row.seesCategory));
    } finally {
      outcome.dispose();
    }
  });
});
