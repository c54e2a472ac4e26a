'use strict';

const { readDevelopmentToken } = require('../src/development/development-token');

/**
 * Ready-to-paste shell lines that write an article with the development token, one event each. Strapi 5's REST API
 * creates published articles; `publish`/`unpublish` are routes of this example (Strapi's REST API has none).
 */
const curlLines = (http, token) => {
  const auth = `-H "Authorization: Bearer $STRAPI_TOKEN"`;
  const json = `-H 'Content-Type: application/json'`;
  const readId = `node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).data.documentId'`;
  return [
    `export STRAPI_URL=${http} STRAPI_TOKEN=${token}`,
    `# create an article (articleCreated, article:create) and keep its documentId`,
    `ID=$(curl -sS -X POST "$STRAPI_URL/api/articles" ${auth} ${json} -d '{"data":{"title":"Hello, realtime"}}' | ${readId}); echo "$ID"`,
    `# update it (articleUpdated, article:update)`,
    `curl -sS -X PUT "$STRAPI_URL/api/articles/$ID" ${auth} ${json} -d '{"data":{"title":"Hello again, realtime"}}'; echo`,
    `# unpublish it, publish it again (articleUnpublished, articlePublished; article:unpublish, article:publish)`,
    `curl -sS -X POST "$STRAPI_URL/api/articles/$ID/unpublish" ${auth}; echo`,
    `curl -sS -X POST "$STRAPI_URL/api/articles/$ID/publish" ${auth}; echo`,
    `# delete it (articleDeleted, article:delete)`,
    `curl -sS -X DELETE "$STRAPI_URL/api/articles/$ID" ${auth} -w '%{http_code}\\n'`,
  ];
};

/**
 * What `npm start` (and `npm run start:admin`, with its admin lines as `extraLines`) prints once the app listens: every endpoint, and in development the live demo page and curl
 * lines with the development API token (never in production: `readDevelopmentToken` returns null there).
 */
const welcomeMessage = async (app, extraLines = []) => {
  const { port } = app.server.httpServer.address();
  const http = `http://localhost:${port}`;
  const ws = `ws://localhost:${port}`;
  let realtime = {};
  try {
    realtime = app.plugin('realtime').service('realtime').getEndpoints();
  } catch {
    // The plugin reports its endpoints once it has bootstrapped; the REST line is still useful without them.
  }
  const token = await readDevelopmentToken(app);
  const lines = [
    '',
    'strapi-plugin-realtime example is running',
    `  REST                        ${http}/api/articles`,
    realtime.graphqlWs && `  GraphQL subscriptions (ws)  ${ws}${realtime.graphqlWs}`,
    realtime.graphqlSse && `  GraphQL over SSE            ${http}${realtime.graphqlSse}`,
    realtime.graphiql && `  GraphiQL                    ${http}${realtime.graphiql}`,
    realtime.sdl && `  Subscription schema (SDL)   ${http}${realtime.sdl}`,
    realtime.socketIo && `  Socket.IO                   ${http} (path ${realtime.socketIo})`,
    app.plugin('graphql') && `  GraphQL queries (HTTP)      ${http}/graphql`,
    realtime.metrics && `  Prometheus metrics          ${http}${realtime.metrics} (Authorization: Bearer <metrics token>)`,
    ...extraLines.map((line) => line.replace('{http}', http)),
  ];
  if (token) {
    lines.push(
      `  Live demo page              ${http}/demo#token=${token}`,
      '',
      'Write content with the development API token (full access, created for this development database only)',
      'and watch the events arrive in GraphiQL, on the demo page, or in your own client:',
      '',
      ...curlLines(http, token).map((line) => `  ${line}`),
    );
  } else if (process.env.NODE_ENV === 'development') {
    lines.push(
      '',
      'No development API token in this database (it is created on a fresh database only, and expires after 30 days):',
      'delete example/.tmp/data.db to start fresh, or create a token in the admin panel.',
    );
  }
  lines.push('', 'Stop with Ctrl+C.', '');
  return lines.filter((line) => typeof line === 'string').join('\n');
};

module.exports = { welcomeMessage, curlLines };
