// How long one hostile document costs the server, end to end on both transports: from sending it to receiving
// the refusal (graphql-ws `error`, SSE `400`), against the real example app. Target (issue 9): a worst-case
// document at the maximum message size is answered in well under 50 ms. For contrast, the same run times the
// depth rule this project used before (it walked every fragment-spread path, exponential in the levels).
//
//   node bench/document-limits/run.mjs [--repeat 5]
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';

const require = createRequire(import.meta.url);
process.on('unhandledRejection', (error) => {
  console.error('bench failed:', error);
  process.exit(1);
});
const { Kind, parse, validate, GraphQLError } = require('graphql');
const repeat = Number(process.argv[process.argv.indexOf('--repeat') + 1] || 5);
// The whole graphql-ws message must fit graphql.maxMessageBytes (64 KiB): leave room for its envelope.
const MAX_BYTES = 64 * 1024 - 256;

const bomb = (levels) =>
  `subscription { articleCreated { ...F0 } } ${Array.from({ length: levels }, (_, i) => `fragment F${i} on Article { ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F${levels} on Article { title }`;
const fill = (make) => {
  let n = 1;
  while (make(n * 2).length <= MAX_BYTES) n *= 2;
  let lo = n;
  let hi = n * 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (make(mid).length <= MAX_BYTES) lo = mid;
    else hi = mid;
  }
  return make(lo);
};
const DOCUMENTS = {
  'fragment bomb, 22 levels (1.2 KB, the issue\'s example)': bomb(22),
  'fragment bomb at 64 KB': fill(bomb),
  'alias flood at 64 KB': fill((n) => `subscription { articleCreated { ${Array.from({ length: n }, (_, i) => `a${i}: title`).join(' ')} } }`),
  // Within every ceiling, so GraphQL's own rules run in full (the overlap rule is quadratic in same-named fields);
  // the unknown field at the end makes it answer with an error we can time.
  'duplicate fields at the field limit (249; the overlap rule is O(n^2))': `subscription { articleCreated { ${'title '.repeat(248)} unknownField } }`,
  'deep literal filter at 64 KB': fill((n) => `subscription { articleCreated(filters: ${'{ not: '.repeat(n)}{}${' }'.repeat(n)}) { title } }`),
  'unclosed braces at 64 KB (token ceiling)': fill((n) => `subscription ${'{ '.repeat(n)}`),
};
const VARIABLES_QUERY = 'subscription ($f: ArticleFiltersInput) { articleCreated(filters: $f) { title } }';
const DEEP_VARIABLES = fill((n) => `${VARIABLES_QUERY}{"f":${'{"not":'.repeat(n)}{"title":{"eq":"x"}}${'}'.repeat(n)}}`).slice(VARIABLES_QUERY.length);

/** The depth rule as it was before issue 9 (every fragment-spread path walked again). */
const legacyDepthRule = (maxDepth) => (context) => {
  const fragments = new Map();
  for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const depthOf = (set, seen) => {
    if (!set) return 0;
    let deepest = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) deepest = Math.max(deepest, s.name.value.startsWith('__') ? 0 : 1 + depthOf(s.selectionSet, seen));
      else if (s.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depthOf(s.selectionSet, seen));
      else if (!seen.has(s.name.value)) deepest = Math.max(deepest, depthOf(fragments.get(s.name.value)?.selectionSet, new Set([...seen, s.name.value])));
      if (deepest > maxDepth) return deepest;
    }
    return deepest;
  };
  return { OperationDefinition(op) { if (depthOf(op.selectionSet, new Set()) > maxDepth) context.reportError(new GraphQLError('too deep')); } };
};

const exampleDir = resolve(import.meta.dirname, '../../example');
Object.assign(process.env, {
  STRAPI_TELEMETRY_DISABLED: 'true',
  DATABASE_FILENAME: join(mkdtempSync(join(tmpdir(), 'bench-')), 'data.db'),
  EXAMPLE_SEED: 'false',
  REALTIME_CONFIG: JSON.stringify({ socket: { enabled: false } }),
  PORT: '0',
  HOST: '127.0.0.1',
});
const { createStrapi } = require('@strapi/strapi');
const strapi = createStrapi({ appDir: exampleDir, distDir: exampleDir, serveAdminPanel: false, autoReload: false });
strapi.log.level = process.env.BENCH_LOG_LEVEL ?? 'error';
await strapi.load();
await strapi.listen();
await require('../../example/src/seed.js').grantPublicRead(strapi);
const { port } = strapi.server.httpServer.address();

const ws = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
await new Promise((r) => ws.once('open', r));
const waiting = new Map();
ws.on("close", (code, reason) => { console.error(`the bench socket was closed (${code} ${reason})`); process.exit(1); });
ws.on('message', (data) => {
  const message = JSON.parse(String(data));
  if (message.type === 'connection_ack') waiting.get('ack')?.();
  if (message.id && waiting.has(message.id)) waiting.get(message.id)(message);
});
await new Promise((r) => { waiting.set('ack', r); ws.send(JSON.stringify({ type: 'connection_init' })); });

let sequence = 0;
const viaWs = (query, variablesText = 'null') =>
  new Promise((r) => {
    const id = `q${sequence++}`;
    const started = process.hrtime.bigint();
    const timer = setTimeout(() => r({ ms: NaN, answer: 'no answer in 10 s' }), 10_000);
    waiting.set(id, (message) => { clearTimeout(timer); waiting.delete(id); r({ ms: Number(process.hrtime.bigint() - started) / 1e6, answer: message.type === 'error' ? message.payload[0]?.extensions?.code ?? message.payload[0]?.message : message.type }); });
    ws.send(`{"id":"${id}","type":"subscribe","payload":{"query":${JSON.stringify(query)},"variables":${variablesText}}}`);
  });
const viaSse = async (query, variablesText = 'null') => {
  const started = process.hrtime.bigint();
  const response = await fetch(`http://127.0.0.1:${port}/graphql/stream`, {
    method: 'POST',
    headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
    body: `{"query":${JSON.stringify(query)},"variables":${variablesText}}`,
  });
  const body = await response.text();
  // A refusal after validation (the hub's input ceilings) arrives as a `next` event with errors, then `complete`.
  const json = (response.headers.get('content-type') ?? '').includes('event-stream') ? /data: (\{.*\})/.exec(body)?.[1] ?? '{}' : body;
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, answer: `${response.status} ${(JSON.parse(json).errors?.[0]?.extensions?.code) ?? ''}`.trim() };
};
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const measure = async (send) => {
  const runs = [];
  for (let i = 0; i < repeat; i++) runs.push(await send());
  return { ms: median(runs.map((r) => r.ms)), max: Math.max(...runs.map((r) => r.ms)), answer: runs[0].answer };
};

console.log(`| document | bytes | graphql-ws median / max ms | answer | SSE median / max ms | answer |`);
console.log(`|---|---:|---|---|---|---|`);
const row = async (name, query, variables) => {
  const a = await measure(() => viaWs(query, variables));
  const b = await measure(() => viaSse(query, variables));
  console.log(`| ${name} | ${Buffer.byteLength(query) + (variables ? variables.length : 0)} | ${a.ms.toFixed(1)} / ${a.max.toFixed(1)} | ${a.answer} | ${b.ms.toFixed(1)} / ${b.max.toFixed(1)} | ${b.answer} |`);
};
for (const [name, query] of Object.entries(DOCUMENTS)) await row(name, query);
await row('variables: filter nested to fill 64 KB', VARIABLES_QUERY, DEEP_VARIABLES);

const schema = require('../../dist/server/schema/app-schema.js');
void schema;
console.log('\nBaseline: the previous depth rule alone (validation only, same machine, one run each):');
const { buildClientSchema, getIntrospectionQuery, graphqlSync } = require('graphql');
const sdl = await (await fetch(`http://127.0.0.1:${port}/graphql/schema.graphql`)).text();
const { buildSchema } = require('graphql');
const local = buildSchema(sdl.replace(/@socketEvent\([^)]*\)/g, ''));
void buildClientSchema; void getIntrospectionQuery; void graphqlSync;
for (const levels of [14, 16, 18]) {
  const document = parse(bomb(levels));
  const started = process.hrtime.bigint();
  validate(local, document, [legacyDepthRule(10)]);
  console.log(`  fragment bomb, ${levels} levels: ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms (doubles per level; 22 levels ≈ ${((Number(process.hrtime.bigint() - started) / 1e6) * 2 ** (22 - levels) / 1000).toFixed(1)} s)`);
}
ws.removeAllListeners('close');
ws.close();
await strapi.destroy();
process.exit(0);
