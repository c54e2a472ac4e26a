/**
 * Must compile: the configs users write in `config/plugins.ts`, typed by the package root's RealtimePluginConfig
 * (our shape, plugin-io v5's and strapi-plugin-io v4's, handlers typed by the Socket.IO context), and the deprecated
 * SocketIOConfig still accepting plugin-io's part. (Never run: compiled by test/unit/types.test.ts.)
 */
import type { RealtimePluginConfig, SocketIOConfig } from '../../src/index';
import { expectType, type Equal } from './type-assert';

export const quickStart = {
  contentTypes: ['api::article.article', { uid: 'api::category.category', actions: ['create', 'delete'], populate: ['articles'] }],
} satisfies RealtimePluginConfig;

export const everySection = {
  contentTypes: 'all-api',
  sensitiveFields: ['ssn'],
  drafts: false,
  graphql: { path: '/graphql', maxDepth: 6, keepAliveMs: 0, introspection: true, sdlToken: 'codegen-secret' },
  socket: {
    serverOptions: { cors: { origin: 'https://app.example.com' }, transports: ['websocket'] },
    rateLimit: { points: 5 },
    ipAllowList: ['10.0.0.0/8'],
    events: [
      {
        name: 'connection',
        handler: ({ strapi }, socket) => {
          expectType<Equal<typeof socket.id, string>>();
          strapi.log.info(`connected: ${socket.id}`);
        },
      },
    ],
    hooks: { init: ({ io }) => io.server.engine.clientsCount },
  },
  bus: { kind: 'redis', url: 'redis://localhost:6379' },
  limits: { maxConnectionsPerAddress: 50 },
  eventLogSize: 0,
  metrics: { enabled: true, token: 'scrape-token-0123456789' },
} satisfies RealtimePluginConfig;

export const shorthands = { graphql: false, socket: true, metrics: true, bus: 'memory' } satisfies RealtimePluginConfig;

export const pluginIoV5: SocketIOConfig = {
  contentTypes: [{ uid: 'api::article.article', actions: ['create', 'update'], populate: '*', eventPrefix: 'post' }],
  events: [{ name: 'disconnect', handler: (_context, _socket, reason: string) => reason }],
  hooks: { init: () => undefined },
};

export const strapiPluginIoV4 = {
  IOServerOptions: { cors: { origin: 'http://localhost:5000', methods: ['GET'] } },
  contentTypes: { message: '*', chat: ['create', 'createOrUpdate'] },
  publicRoleName: 'Guest',
} satisfies RealtimePluginConfig;

expectType<Equal<RealtimePluginConfig['drafts'], boolean | undefined>>();
