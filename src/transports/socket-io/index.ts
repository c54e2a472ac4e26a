import type { Core } from '@strapi/strapi';
import type { RealtimeContext } from '../../context';
import type { RunningTransport, TransportStats } from '../transport';
import type { AuthErrorCode } from '../../pipeline/auth-error';
import { createSerialQueue } from '../../util/serial-queue';
import { createTransportQueue } from '../../delivery/delivery-queue';
import { createRoomBroadcast } from './room-broadcast';
import { batchEngineWrites } from './batch-engine-writes';
import { tcpSocketOf } from './engine-internals';
import { destroyAfterGrace } from '../slow-consumer';
import { createSocketServer } from './socket-server';
import { resolveSocketCors } from './strapi-cors';
import { createHandshake, AUTH_ERROR_MESSAGES, type Admission } from './handshake';
import { createConnectionRegistry, type Connection, type ConnectionRegistry } from './connection-registry';
import { createEntitySubscriptions, entitySubscriptionsOf } from './entity-subscriptions';
import { createContentDelivery } from './content-delivery';
import { createServerApi } from './server-api';
import { createPermissionRecheck } from './permission-recheck';
import { createClientEvents, runUserHandler } from './client-events';
import { reportRefusals } from './report-refusals';
import { createRecoverySessions } from './recovery-sessions';
import { installConnectionRecovery } from './connection-recovery';
import { guardAdapterPublishes } from './adapter-publish-guard';
import { CURSOR_EVENT } from '../../names/socket-io-names';
import { Adapter } from 'socket.io-adapter';
import { createRateLimit } from './rate-limit';
import type { DisconnectReason } from 'socket.io';
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
  const { strapi, pipeline, config, settings, upgrades, monitor, log } = context;
  const socketConfig = config.socket;

  const path = socketConfig.serverOptions.path ?? '/socket.io';
  // Connection state recovery with our own session hooks (no stored packets) and our handshake always run on a
  // recovered session (skipMiddlewares: false): a revoked credential must not come back. Off with replay off, or
  // when serverOptions turns it off.
  const recovery = config.replay.maxEvents > 0 && socketConfig.serverOptions.connectionStateRecovery !== (false as never);
  const { io, close } = createSocketServer(strapi.httpServer, {
    maxHttpBufferSize: socketConfig.maxPayloadBytes,
    ...(recovery ? { adapter: Adapter as never } : {}),
    ...socketConfig.serverOptions,
    connectionStateRecovery: recovery
      ? { maxDisconnectionDuration: config.replay.maxAgeMs, ...socketConfig.serverOptions.connectionStateRecovery, skipMiddlewares: false }
      : undefined,
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
  const $io = createServerApi({ strapi, io, publish: context.publish, pipeline, entities, monitor });
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

  /** A client that does not read what it is sent: disconnected rather than buffered for without end. */
  const disconnectSlow = (socket: RealtimeSocket) => {
    if (!socket.connected) return;
    monitor.slowClientClosed('socket.io');
    monitor.logEvent('error', { transport: 'socket.io', socketId: socket.id, code: 'SLOW_CONSUMER' });
    const tcp = tcpSocketOf(socket.conn);
    socket.disconnect(true);
    if (tcp) destroyAfterGrace(() => tcp.destroy());
  };
  const rooms = createRoomBroadcast({ io, slices: context.slices, maxBufferedBytes: socketConfig.maxBufferedBytes, onSlow: disconnectSlow });
  const stopBatching = batchEngineWrites(io);
  const untrackBacklog = context.backlog.track({
    connections: () => registry.all(),
    buffered: (connection) => rooms.bufferedBytes(connection.socket),
    shed: (connection) => disconnectSlow(connection.socket),
  });
  const delivery = createContentDelivery({ strapi, io, pipeline, registry, settings, monitor, withCursor: recovery, rooms, trace: context.trace });
  // One record after the other: every socket sees events in log order; replays take their turn in the same queue.
  const queue = createTransportQueue(context, 'socket.io', (records) => delivery.deliver(records));
  const recheckQueue = createSerialQueue((error) => log.error('socket.io permission re-check failed', error));
  const sessions = createRecoverySessions({ ttlMs: config.replay.maxAgeMs, maxSessions: config.limits.maxConnections });

  /** A reconnecting socket: the events after its offset, for its audience now, then live (or a gap signal). */
  const resume = (connection: Connection, offset: string) =>
    queue.schedule(async () => {
      try {
        const read = await context.eventLog.readAfter(offset);
        if (!connection.socket.connected) return;
        if (read.ok) await delivery.replayTo(connection.socket, connection.principal.audienceKey, read.records);
        else delivery.gapTo(connection.socket, read.reason, read.head);
      } finally {
        registry.caughtUp(connection);
      }
    });

  // Per-socket listeners are functions shared by every socket (Socket.IO calls them with the socket as `this`):
  // an idle connection then holds no closures of its own besides its rate-limit window.
  const registerClientEvents = createClientEvents({ entities, events: socketConfig.events, context: handlerContext, log });
  const applyRateLimit = createRateLimit(socketConfig.rateLimit, (socket, kind) => {
    monitor.logEvent('error', { transport: 'socket.io', socketId: socket.id, code: 'RATE_LIMITED', kind });
    monitor.error('rate_limited');
  });
  function onDisconnect(this: RealtimeSocket, reason: DisconnectReason) {
    registry.remove(this.id);
    monitor.logEvent('disconnect', { transport: 'socket.io', socketId: this.id, reason, user: this.data.user });
  }

  io.on('connection', (socket: RealtimeSocket) => {
    const admission = admissions.get(socket);
    if (!admission) {
      // Not admitted by our handshake (cannot happen on the main namespace): never serve it unauthenticated.
      socket.disconnect(true);
      return;
    }
    admissions.delete(socket);
    // Listened to before joining: a credential expiring right now disconnects synchronously.
    socket.on('disconnect', onDisconnect);
    const auth = socket.handshake.auth as { offset?: unknown } | undefined;
    const offset = recovery && typeof auth?.offset === 'string' ? auth.offset : null;
    const connection = registry.add(socket, admission.principal, admission.address, offset !== null, admission.release);
    if (!socket.connected) return;
    // Rooms it joined itself came back with a recovered session: keep only what its audience may still read.
    if (socket.recovered) void recheckQueue.push(() => entities.recheck(connection));
    if (offset !== null) void resume(connection, offset);
    else if (recovery) {
      const head = context.eventLog.head();
      if (head) socket.emit(CURSOR_EVENT, { cursor: head }, head);
    }
    monitor.logEvent('connection', {
      transport: 'socket.io',
      socketId: socket.id,
      ip: admission.address,
      audience: admission.principal.audienceKey,
      user: socket.data.user,
    });
    applyRateLimit(socket);
    registerClientEvents(socket);
    for (const { name, handler } of socketConfig.events) {
      if (name === 'connection') runUserHandler(log, name, handler, handlerContext, socket, []);
    }
  });

  const recheck = createPermissionRecheck({ pipeline, registry, entities, refuse, log });
  const stopWatching = pipeline.onPermissionChange((change) => void recheckQueue.push(() => recheck(change)));

  (app as StrapiWithIo).$io = $io;

  // Awaited before any client passes the handshake: this is where users attach a Redis adapter or middleware.
  try {
    await socketConfig.hooks.init?.({ strapi: app, io: $io, $io });
  } catch (error) {
    log.error('socket.io hooks.init failed', error);
  } finally {
    // On whichever adapter init installed (a Redis adapter, for example).
    if (recovery) installConnectionRecovery({ io, sessions, eventLog: context.eventLog, registry });
    guardAdapterPublishes(io.of('/').adapter, log);
    markReady();
  }

  return {
    name: 'socket.io',
    endpoints: { socketIo: path },
    io,
    registry,
    deliver: (record) => queue.push(record),
    queue: () => queue.stats(),
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
      untrackBacklog();
      await queue.drain();
      stopBatching();
      await recheckQueue.drain();
      releasePath();
      await close();
      registry.clear();
      sessions.clear();
      if ((app as StrapiWithIo).$io === $io) delete (app as StrapiWithIo).$io;
    },
  };
};
