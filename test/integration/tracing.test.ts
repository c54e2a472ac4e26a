import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { createApiToken, grant, type TestApiToken } from '../harness/principals';
import { expectOk, rest } from '../harness/rest';
import { connectWs } from '../harness/graphql-clients';
import { connectClient, closeAllClients } from '../harness/socket-client';
import { waitFor } from '../harness/wait';
import { READ_ARTICLES } from '../harness/permission-matrix';

/** REALTIME_TRACE=1: "why did this subscriber not get that event" is answered by the trace lines of the event. */
describe('tracing along the delivery path', () => {
  let app: ExampleApp;
  let admin: TestApiToken;
  const lines: string[] = [];

  beforeAll(async () => {
    app = await bootExample({ env: { REALTIME_TRACE: '1' } });
    const log = app.strapi.log as unknown as { info(message: string): void };
    const info = log.info.bind(log);
    log.info = (message: string) => {
      if (message.includes('[realtime] trace ')) lines.push(message);
      else info(message);
    };
    admin = await createApiToken(app.strapi, 'full-access');
    await grant(app.strapi, 'public', READ_ARTICLES);
  });
  afterAll(async () => {
    closeAllClients();
    await app?.stop();
  });

  it('follows one event from capture to each group and audience, with the reason it was not delivered', async () => {
    const ws = connectWs(app);
    const matching = ws.subscribe('subscription Everything { articleCreated { title } }');
    ws.subscribe('subscription OnlyOthers { articleCreated(filters: { title: { eq: "something else" } }) { title } }');
    await connectClient(app);
    await waitFor(() => (app.strapi.plugin('realtime').service('realtime') as { getResourceStats(): { subscriptions: number } }).getResourceStats().subscriptions >= 2, 'subscribed');
    const article = expectOk(await rest(app, 'POST', '/api/articles', { token: admin.accessKey, body: { data: { title: 'Traced' } } }), 'create').data;
    await matching.waitForResults(1);
    await waitFor(() => lines.some((line) => line.includes('socket.io audience')), 'the Socket.IO trace');
    const id = /trace (\S+) captured api::article\.article created/.exec(lines.join('\n'))?.[1];
    expect(id).toBeDefined();
    const ofEvent = lines.filter((line) => line.includes(`trace ${id} `));
    expect(ofEvent.join('\n')).toContain(`captured api::article.article created ${article.documentId}`);
    expect(ofEvent.some((line) => /appended to the event log/.test(line))).toBe(true);
    expect(ofEvent.some((line) => /group\(role:\d+ Everything .*written to 1/.test(line))).toBe(true);
    expect(ofEvent.some((line) => /group\(role:\d+ OnlyOthers .*not delivered: filters do not match/.test(line))).toBe(true);
    expect(ofEvent.some((line) => /socket\.io audience role:\d+ article:create to 1 socket/.test(line))).toBe(true);
    void ws.dispose();
  });
});
