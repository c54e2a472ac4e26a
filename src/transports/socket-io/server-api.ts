import { randomUUID } from 'node:crypto';
import type { Namespace } from 'socket.io';
import type { BusMessage, Entry } from '../../events/change-event';
import type { Pipeline } from '../../pipeline/pipeline';
import type { StrapiAdapter } from '../../strapi/strapi-adapter';
import type { Observability } from '../../observability/observability';
import { entityRoomName } from '../../names/socket-io-names';
import { ENTITY_ERRORS, type EntitySubscriptions } from './entity-subscriptions';
import type { EmitOptions, LegacyRawOptions, RawEmitOptions, RealtimeServer, RealtimeSocketData, SocketInfo, SocketIO } from './types';

const socketInfo = (socket: { id: string; data: Partial<RealtimeSocketData>; rooms: Set<string> }): SocketInfo => ({
  id: socket.id,
  user: socket.data?.user ?? null,
  userId: socket.data?.userId,
  role: socket.data?.role,
  rooms: [...socket.rooms].filter((room) => room !== socket.id),
});

const requireString = (value: unknown, what: string): string => {
  if (typeof value !== 'string' || value === '') throw new TypeError(`[realtime] strapi.$io: ${what} must be a non-empty string`);
  return value;
};

/**
 * `strapi.$io`, plugin-io v5's server API with its return shapes, plus the v4 `emit`/`raw` call shapes.
 * `emit` goes through the bus and the pipeline (READ permission, sanitized per audience, on every node);
 * every other helper sends server data as given, minus the sensitive-field blocklist.
 */
export const createServerApi = (options: {
  strapi: StrapiAdapter;
  io: RealtimeServer;
  /** Appends to the event log (reduced to what may be stored). */
  publish: (message: BusMessage) => Promise<void>;
  pipeline: Pipeline;
  entities: EntitySubscriptions;
  monitor: Observability;
}): SocketIO => {
  const { strapi, io, publish, pipeline, entities, monitor } = options;
  const strip = pipeline.stripSensitive;
  const localSocket = (socketId: unknown) => (typeof socketId === 'string' ? io.sockets.sockets.get(socketId) : undefined);
  const isContentType = (uid: unknown) => typeof uid === 'string' && strapi.getModel(uid)?.modelType === 'contentType';

  /** `main` is the server; namespaces created with `server.of('/name')` (e.g. in hooks.init) appear as `name`. */
  const namespaces = () => {
    const all: Record<string, RealtimeServer | Namespace> = { main: io };
    for (const [name, namespace] of (io as unknown as { _nsps?: Map<string, Namespace> })._nsps ?? []) {
      if (name !== '/') all[name.replace(/^\//, '')] = namespace;
    }
    return all;
  };

  const getSocketsInRoom = async (roomName: string): Promise<SocketInfo[]> =>
    (await io.in(requireString(roomName, 'roomName')).fetchSockets()).map(socketInfo);

  function emit(options: EmitOptions): Promise<void>;
  function emit(event: string, data: Record<string, unknown>): Promise<void>;
  async function emit(first: EmitOptions | string, second?: Record<string, unknown>): Promise<void> {
    let uid: unknown;
    let verb: unknown;
    let data: unknown;
    if (typeof first === 'string') {
      // v4: 'api::article.article.someCustomAction' = uid + '.' + verb.
      const dot = first.lastIndexOf('.');
      [uid, verb, data] = [first.slice(0, dot), first.slice(dot + 1), second];
    } else if (first && typeof first === 'object') {
      uid = typeof first.schema === 'string' ? first.schema : first.schema?.uid;
      [verb, data] = [first.event, first.data];
    } else {
      throw new TypeError('[realtime] strapi.$io.emit expects { event, schema, data } or (\'<uid>.<action>\', data)');
    }
    // plugin-io sends nothing without data.
    if (data === undefined || data === null) return;
    if (typeof uid !== 'string' || !isContentType(uid)) throw new Error(`[realtime] strapi.$io.emit: unknown content type ${JSON.stringify(uid)}`);
    if (typeof verb !== 'string' || !/^[^\s:]+$/.test(verb)) {
      throw new TypeError(`[realtime] strapi.$io.emit: the event must be a verb such as "create" (got ${JSON.stringify(verb)})`);
    }
    if (typeof data !== 'object' || Array.isArray(data)) throw new TypeError('[realtime] strapi.$io.emit: data must be an entry (an object)');
    // JSON round trip: what a Redis bus would carry, and later mutations of `data` cannot change the event.
    const entry = JSON.parse(JSON.stringify(data)) as Entry;
    await publish({ type: 'emit', emit: { id: randomUUID(), uid, verb, entry, at: new Date().toISOString() } });
  }

  function raw(options: RawEmitOptions): Promise<void>;
  function raw(event: string, data: unknown, options?: LegacyRawOptions): Promise<void>;
  async function raw(first: RawEmitOptions | string, data?: unknown, legacy?: LegacyRawOptions): Promise<void> {
    const { event, rooms, payload } =
      typeof first === 'string'
        ? { event: first, rooms: legacy?.room ? [legacy.room] : [], payload: data }
        : { event: first?.event, rooms: first?.rooms ?? [], payload: first?.data };
    const targets = (Array.isArray(rooms) ? rooms : [rooms]).filter((room): room is string => typeof room === 'string' && room !== '');
    const operator = targets.length > 0 ? io.to(targets) : io;
    operator.emit(requireString(event, 'event'), strip(payload));
  }

  return {
    get server() {
      return io;
    },
    get namespaces() {
      return namespaces();
    },
    emit,
    raw,
    joinRoom(socketId, roomName) {
      const socket = localSocket(socketId);
      if (!socket || typeof roomName !== 'string' || roomName === '') return false;
      void socket.join(roomName);
      return true;
    },
    leaveRoom(socketId, roomName) {
      const socket = localSocket(socketId);
      if (!socket || typeof roomName !== 'string' || roomName === '') return false;
      void socket.leave(roomName);
      return true;
    },
    getSocketsInRoom,
    sendPrivateMessage(socketId, event, data) {
      io.to(requireString(socketId, 'socketId')).emit(requireString(event, 'event'), strip(data));
    },
    broadcast(socketId, event, data) {
      localSocket(socketId)?.broadcast.emit(requireString(event, 'event'), strip(data));
    },
    emitToNamespace(namespace, event, data) {
      const name = typeof namespace === 'string' ? namespace.replace(/^\//, '') : '';
      // Never create a namespace here: one created on the fly would accept clients without any handshake check.
      const target = (name === 'main' || name === '' ? io : namespaces()[name]) as Namespace | undefined;
      target?.emit(requireString(event, 'event'), strip(data));
    },
    disconnectSocket(socketId, reason = 'server disconnect') {
      const socket = localSocket(socketId);
      if (!socket) return false;
      monitor.logEvent('disconnect-socket', { socketId, reason });
      socket.disconnect(true);
      return true;
    },
    async subscribeToEntity(socketId, uid, id) {
      const socket = localSocket(socketId);
      if (!socket) return { success: false, error: ENTITY_ERRORS.socketNotFound };
      return entities.subscribe(socket, { uid, id });
    },
    unsubscribeFromEntity(socketId, uid, id) {
      const socket = localSocket(socketId);
      if (!socket) return { success: false, error: ENTITY_ERRORS.socketNotFound };
      return entities.unsubscribe(socket, { uid, id });
    },
    getEntitySubscriptions(socketId) {
      const socket = localSocket(socketId);
      if (!socket) return { success: false, error: ENTITY_ERRORS.socketNotFound };
      return entities.list(socket);
    },
    emitToEntity(uid, id, event, data) {
      io.to(entityRoomName(requireString(uid, 'uid'), id)).emit(requireString(event, 'event'), strip(data));
    },
    getEntityRoomSockets(uid, id) {
      return getSocketsInRoom(entityRoomName(requireString(uid, 'uid'), id));
    },
  };
};
