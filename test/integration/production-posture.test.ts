import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootExample, type ExampleApp } from '../harness/example-app';
import { openRawSocket } from '../harness/raw-graphql-ws';
import { grant } from '../harness/principals';
import { READ_ARTICLES } from '../harness/permission-matrix';

const INTROSPECTION = 'query { __schema { types { name } } }';

/** With NODE_ENV=production the plugin refuses introspection, as @strapi/plugin-graphql (Apollo) does. */
describe('production posture (NODE_ENV=production)', () => {
  let app: ExampleApp;
  const previous = process.env.NODE_ENV;

  beforeAll(async () => {
    process.env.NODE_ENV = 'production';
    app = await bootExample({ realtimeConfig: { socket: { enabled: false }, graphql: { sdlToken: 'codegen-secret' } } });
    await grant(app.strapi, 'public', READ_ARTICLES);
  });
  afterAll(async () => {
    await app?.stop();
    process.env.NODE_ENV = previous;
  });

  it('refuses introspection over graphql-ws and SSE; subscriptions still work', async () => {
    const socket = await openRawSocket(app);
    await socket.init();
    socket.send({ id: 'i', type: 'subscribe', payload: { query: INTROSPECTION } });
    const answer = await socket.waitForMessage((m) => m.id === 'i', 'the introspection answer');
    expect(answer.type).toBe('error');
    expect(answer.payload[0].message).toMatch(/introspection/i);
    socket.send({ id: 's', type: 'subscribe', payload: { query: 'subscription { articleCreated { title } }' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(socket.messages.find((m) => m.id === 's')).toBeUndefined();
    socket.dispose();

    const viaSse = await fetch(`${app.httpUrl}/graphql/stream`, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({ query: INTROSPECTION }),
    });
    expect(viaSse.status).toBe(400);
    expect(JSON.stringify(await viaSse.json())).toMatch(/introspection/i);
  });

  it('serves the SDL only with the SDL token, and no GraphiQL', async () => {
    expect((await fetch(`${app.httpUrl}/graphql/schema.graphql`)).status).toBe(401);
    expect((await fetch(`${app.httpUrl}/graphql/schema.graphql`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const sdl = await fetch(`${app.httpUrl}/graphql/schema.graphql`, { headers: { authorization: 'Bearer codegen-secret' } });
    expect(sdl.status).toBe(200);
    expect(await sdl.text()).toContain('articleCreated');
    const page = await fetch(`${app.httpUrl}/graphql/stream`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toContain('text/html');
  });
});
