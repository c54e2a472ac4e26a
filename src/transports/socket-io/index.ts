import type { Core } from '@strapi/strapi';
import type { RealtimeContext } from '../../context';
import type { RunningTransport, TransportStats } from '../transport';
import type { AuthErrorCode } from '../../pipeline/auth-error';
import { createSerialQueue } from '../../util/serial-queue';
import { createSocketServer } from './socket-server';
import { resolveSocketCors } from './strapi-cors';
import { createHandshake, AUTH_ERROR_MESSAGES, type Admission } from './handshake';
import { createConnectionRegistry, type Connection, type ConnectionRegistry } from './connection-registry';
import { createEntitySubscriptions, entitySubscriptionsOf } from './entity-subscriptions';
import { createContentDelivery } from './content-delivery';
import { createServerApi } from './server-api';
import { createPermissionRecheck } from './permission-recheck';
import { registerClientEvents, runUserHandler } from './client-events';
import { reportRefusals } from './report-refusals';
import { applyRateLimit } from './rate-limit';
import type { RealtimeServer, RealtimeSocket, SocketEventContext } from './types';

type StrapiWithIo = Core.Strapi & { $io?: unknown };

/** The running Socket.IO transport; the monitoring service lists its sockets and rooms. */
export interface SocketIoTransport extends RunningTransport {
  io: RealtimeServer;
  registry: ConnectionRegistry;
}

/**
 * The plugin-io compatible Socket.IO transport: legacy clients connect unchanged, every content event goes
 * through the shared pipeline (READ permission, sanitized per audience), and `strapi.$io` is plugin-io's API.
 * `app` is the Strapi instance itself: user code (`events` handlers, `hooks.init`, `strapi.$io`) gets it as is.
 */
export const startSocketIoTransport = async (context: RealtimeContext, app: Core.Strapi): Promise<SocketIoTransport> => {
  const { strapi, pipeline, bus, config, settings, upgrades, monitor, log } = context;
  const socketConfig = config.socket;

  const path = socketConfig.serverOptions.path ?? '/socket.io';
  const { io, close } = createSocketServer(strapi.httpServer, {
    maxHttpBufferSize: socketConfig.maxPayloadBytes,
    ...socketConfig.serverOptions,
    cors: resolveSocketCors(socketConfig.serverOptions.cors, strapi.config('middlewares')),
    path,
  });
  const transports = socketConfig.serverOptions.transports ?? ['polling', 'websocket'];
  // engine.io answers its own upgrades; the router only has to leave them alone.
  const releasePath = transports.includes('websocket') ? upgrades.claim(path, null) : () => undefined;

  const refuse = (connection: Connection, code: AuthErrorCode, detail: string) => {
    // The reason travels as an `error` event: a server-side disconnect carries no reason of its own.
    connection.socket.emit('error', { code, message: AUTH_ERROR_MESSAGES[code], detail });
    connection.socket.disconnect(true);
  };
  const registry = createConnectionRegistry({
    publicRoleName: socketConfig.publicRoleName,
    onExpired: (connection) => refuse(connection, 'TOKEN_EXPIRED', 'The credential expired while connected'),
  });
  const entities = createEntitySubscriptions({
    strapi,
    pipeline,
    maxPerSocket: socketConfig.maxEntitySubscriptions,
    monitor,
    connectionOf: (socket) => registry.get(socket.id),
  });
  const $io = createServerApi({ strapi, io, bus, pipeline, entities, monitor });
  const handlerContext: SocketEventContext = { strapi: app, io: $io };

  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const admissions = new WeakMap<RealtimeSocket, Admission>();
  io.use(
    reportRefusals(
      createHandshake({
        strapi,
        pipeline,
        ipAllowList: socketConfig.ipAllowList,
        ipDenyList: socketConfig.ipDenyList,
        ready,
        admissions,
        limiter: context.limiter,
      }),
      (code) => monitor.connectionRefused('socket.io', code),
    ),
  );

  io.on('connection', (socket: RealtimeSocket) => {
    const admission = admissions.get(socket);
    if (!admission) {
      // Not admitted by our handshake (cannot happen on the main namespace): never serve it unauthenticated.
      socket.disconnect(true);
      return;
    }
    admissions.delete(socket);
    // Listened to before joining: a credential expiring right now disconnects synchronously.
    socket.on('disconnect', (reason) => {
      registry.remove(socket.id);
      monitor.logEvent('disconnect', { transport: 'socket.io', socketId: socket.id, reason, user: socket.data.user });
    });
    registry.add(socket, admission.principal, admission.address);
    if (!socket.connected) return;
    monitor.logEvent('connection', {
      transport: 'socket.io',
      socketId: socket.id,
      ip: admission.address,
      audience: admission.principal.audienceKey,
      user: socket.data.user,
    });
    applyRateLimit(socket, socketConfig.rateLimit, (kind) => {
      monitor.logEvent('error', { transport: 'socket.io', socketId: socket.id, code: 'RATE_LIMITED', kind });
      monitor.error('rate_limited');
    });
    registerClientEvents({ socket, entities, events: socketConfig.events, context: handlerContext, log });
    for (const { name, handler } of socketConfig.events) {
      if (name === 'connection') runUserHandler(log, name, handler, handlerContext, socket, []);
    }
  });

  const recheck = createPermissionRecheck({ pipeline, registry, entities, refuse, log });
  const recheckQueue = createSerialQueue((error) => log.error('socket.io permission re-check failed', error));
  const stopWatching = pipeline.onPermissionChange((change) => void recheckQueue.push(() => recheck(change)));

  const deliverNow = createContentDelivery({ strapi, io, pipeline, registry, settings, monitor });
  // One message after the other: every socket sees events in capture order.
  const queue = createSerialQueue((error) => {
    log.error('socket.io delivery failed', error);
    monitor.error('delivery');
  });

  (app as StrapiWithIo).$io = $io;

  // Awaited before any client passes the handshake: this is where users attach a Redis adapter or middleware.
  try {
    await socketConfig.hooks.init?.({ strapi: app, io: $io, $io });
  } catch (error) {
    log.error('socket.io hooks.init failed', error);
  } finally {
    markReady();
  }

  return {
    name: 'socket.io',
    endpoints: { socketIo: path },
    io,
    registry,
    deliver: (message) => queue.push(() => deliverNow(message)),
    stats(): TransportStats[] {
      let subscriptions = 0;
      const byContentType: Record<string, number> = {};
      for (const connection of registry.all()) {
        for (const { uid } of entitySubscriptionsOf(connection.socket)) {
          subscriptions++;
          byContentType[uid] = (byContentType[uid] ?? 0) + 1;
        }
      }
      const audiences = registry.audiences().length;
      return [
        {
          transport: 'socket.io',
          connections: registry.size,
          subscriptions,
          subscriptionsByContentType: byContentType,
          audiences,
          // One broadcast group per audience room in use.
          groups: audiences,
        },
      ];
    },
    async stop() {
      stopWatching();
      await queue.drain();
      await recheckQueue.drain();
      releasePath();
      await close();
      registry.clear();
      if ((app as StrapiWithIo).$io === $io) delete (app as StrapiWithIo).$io;
    },
  };
};
