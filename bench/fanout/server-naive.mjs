// The baseline: graphql-ws's own server (useServer) with a standard pubsub subscription: graphql-js
// executes and graphql-ws serializes the result once per subscriber.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { GraphQLBoolean, GraphQLFloat, GraphQLID, GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLScalarType, GraphQLSchema, GraphQLString } from 'graphql';
import { serveBench } from './server-control.mjs';
import { articleEntry, publicView } from './payload.mjs';

const JSONScalar = new GraphQLScalarType({ name: 'JSON', serialize: (v) => v });
const Article = new GraphQLObjectType({
  name: 'Article',
  fields: {
    documentId: { type: new GraphQLNonNull(GraphQLID) },
    title: { type: GraphQLString },
    summary: { type: GraphQLString },
    body: { type: GraphQLString },
    views: { type: GraphQLInt },
    rating: { type: GraphQLFloat },
    featured: { type: GraphQLBoolean },
    kind: { type: GraphQLString },
    publishDate: { type: GraphQLString },
    metadata: { type: JSONScalar },
    createdAt: { type: GraphQLString },
    updatedAt: { type: GraphQLString },
    publishedAt: { type: GraphQLString },
  },
});

/** One queue per subscriber, as graphql-subscriptions' PubSub does. */
const subscribers = new Set();
const iterator = () => {
  const queue = [];
  let wake = null;
  const self = {
    push(value) {
      if (wake) {
        const resolve = wake;
        wake = null;
        resolve({ value, done: false });
      } else queue.push(value);
    },
    next: () => (queue.length ? Promise.resolve({ value: queue.shift(), done: false }) : new Promise((resolve) => (wake = resolve))),
    return: () => {
      subscribers.delete(self);
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]: () => self,
  };
  subscribers.add(self);
  return self;
};

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLBoolean } } }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: { articleCreated: { type: Article, subscribe: iterator, resolve: (payload) => payload } },
  }),
});

const server = createServer();
const wss = new WebSocketServer({ server, path: '/graphql', perMessageDeflate: false });
useServer({ schema }, wss);
server.listen(0, '127.0.0.1', () =>
  serveBench({
    port: server.address().port,
    path: '/graphql',
    publish() {
      const view = publicView(articleEntry());
      for (const subscriber of subscribers) subscriber.push(view);
    },
    stats: () => [{ subscribers: subscribers.size }],
  }),
);
