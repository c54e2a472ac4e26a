/**
 * Public types of the Socket.IO transport: the `strapi.$io` API (plugin-io v5 compatible, plus the v4 call
 * shapes), socket data, config handlers and the monitoring service. Re-exported from the package root.
 */
import type { Core } from '@strapi/strapi';
import type { Namespace, Server, Socket } from 'socket.io';
import type { Principal } from '../../pipeline/principal';
import type { RealtimePluginConfig } from '../../config/realtime-plugin-config';

/** What the handshake stores on `socket.data` (also visible on remote sockets with a cluster adapter). */
export interface RealtimeSocketData {
  /** Who is connected; the raw credential is never stored here (it stays in this node's memory). */
  principal: Omit<Principal, 'credential'>;
  /** plugin-io's `socket.user`: set for users-permissions users, `null` otherwise. */
  user: SocketUser | null;
  userId?: number;
  /** Role name (`Public`, `Authenticated`, ...) or the API token's name. */
  role?: string;
  [key: string]: unknown;
}

export type RealtimeServer = Server<any, any, any, RealtimeSocketData>;
export type RealtimeSocket = Socket<any, any, any, RealtimeSocketData>;

export interface SocketUser {
  id: number;
  username?: string;
  email?: string;
  /** The role's name, as plugin-io sets it. */
  role: string | null;
}

/** plugin-io v5 `emit()`: the event's verb, the content type (uid or content-type object) and the entry. */
export interface EmitOptions {
  /** The verb after the colon: `create`, `update`, `publish`, or any custom name. */
  event: string;
  schema: string | { uid: string };
  data: Record<string, unknown>;
}

/** plugin-io v5 `raw()`: any event, to some rooms or everyone; no permission check, blocklist still applied. */
export interface RawEmitOptions {
  event: string;
  rooms?: string[];
  data: unknown;
}

/** strapi-plugin-io v4 `raw(event, data, { room })`. */
export interface LegacyRawOptions {
  room?: string;
}

export interface SocketInfo {
  id: string;
  user: SocketUser | null;
  userId?: number;
  role?: string;
  /** Rooms of the socket, its own id room excluded. */
  rooms: string[];
}

export interface EntitySubscriptionResult {
  success: boolean;
  room?: string;
  uid?: string;
  id?: string | number;
  error?: string;
}

export interface EntitySubscription {
  uid: string;
  id: string;
  room: string;
}

export interface EntitySubscriptionsResult {
  success: boolean;
  subscriptions?: EntitySubscription[];
  error?: string;
}

/** `strapi.$io`: the plugin-io v5 server API (and the v4 `emit`/`raw` call shapes). */
export interface SocketIO {
  /** The Socket.IO server (attach adapters and middleware in `hooks.init`). */
  readonly server: RealtimeServer;
  /** `main` is the server itself; namespaces created with `server.of('/name')` appear as `name`. */
  readonly namespaces: Record<string, RealtimeServer | Namespace>;
  /** Sends `<prefix>:<event>` to every audience that may read `schema`, sanitized per audience, on every node. */
  emit(options: EmitOptions): Promise<void>;
  /** v4: `emit('api::article.article.someCustomAction', data)` sends `article:someCustomAction`. */
  emit(event: string, data: Record<string, unknown>): Promise<void>;
  raw(options: RawEmitOptions): Promise<void>;
  /** v4: `raw('event', data, { room })`. */
  raw(event: string, data: unknown, options?: LegacyRawOptions): Promise<void>;
  joinRoom(socketId: string, roomName: string): boolean;
  leaveRoom(socketId: string, roomName: string): boolean;
  getSocketsInRoom(roomName: string): Promise<SocketInfo[]>;
  sendPrivateMessage(socketId: string, event: string, data: unknown): void;
  broadcast(socketId: string, event: string, data: unknown): void;
  emitToNamespace(namespace: string, event: string, data: unknown): void;
  disconnectSocket(socketId: string, reason?: string): boolean;
  subscribeToEntity(socketId: string, uid: string, id: string | number): Promise<EntitySubscriptionResult>;
  unsubscribeFromEntity(socketId: string, uid: string, id: string | number): EntitySubscriptionResult;
  getEntitySubscriptions(socketId: string): EntitySubscriptionsResult;
  emitToEntity(uid: string, id: string | number, event: string, data: unknown): void;
  getEntityRoomSockets(uid: string, id: string | number): Promise<SocketInfo[]>;
}

/** First argument of config `events` handlers (`io` is `strapi.$io`). */
export interface SocketEventContext {
  strapi: Core.Strapi;
  io: SocketIO;
}

/** A config `events` handler: `connection` gets `(ctx, socket)`, `disconnect` `(ctx, socket, reason)`. */
export type SocketEventHandler = (context: SocketEventContext, socket: RealtimeSocket, ...args: any[]) => unknown;

export interface SocketEventDefinition {
  name: string;
  handler: SocketEventHandler;
}

/** `hooks.init` is awaited before any client passes the handshake (attach a Redis adapter here). */
export interface SocketIOHooks {
  init?: (context: { strapi: Core.Strapi; io: SocketIO; $io: SocketIO }) => unknown;
}

/**
 * The Socket.IO-related part of the plugin config, as plugin-io v5 users write it.
 * @deprecated Use `RealtimePluginConfig`: every option of the plugin, typed and documented.
 */
export type SocketIOConfig = Pick<RealtimePluginConfig, 'contentTypes' | 'events' | 'hooks' | 'sensitiveFields' | 'socket'>;
