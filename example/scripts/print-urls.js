'use strict';

/** The lines `npm start` and `npm run start:admin` print: where everything of the running example is. */
const printUrls = (app, extraLines = []) => {
  const { port } = app.server.httpServer.address();
  const http = `http://localhost:${port}`;
  const ws = `ws://localhost:${port}`;
  let realtime = {};
  try {
    realtime = app.plugin('realtime').service('realtime').getEndpoints();
  } catch {
    // The plugin reports its endpoints once it has bootstrapped; the REST line is still useful without them.
  }
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
    '',
    'Try: edit content through REST or the Document Service and watch articleCreated / article:create arrive.',
    'Stop with Ctrl+C.',
    '',
  ];
  console.log(lines.filter(Boolean).join('\n'));
};

module.exports = { printUrls };
