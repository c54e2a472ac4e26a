/**
 * `strapi-plugin-realtime/client/socket`: a typed socket.io-client for the plugin's Socket.IO transport
 * (plugin-io compatible). Plug in the event map codegen wrote for your schema:
 *
 *   import type { ServerToClientEvents, ClientToServerEvents } from './gql/socket-events';
 *   const socket = createSocketClient<ServerToClientEvents, ClientToServerEvents>({ url, token, strategy: 'jwt' });
 *   socket.on('article:create', (article) => article.title);
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { tokenSource, type CredentialOptions } from '../token-source.js';
import type { EntityClientEvents, EntitySubscriptionAck, EntitySubscriptionsAck, EntityTarget } from './entity-events.js';

export type { ContentTypeUid, EntityClientEvents, EntitySubscriptionAck, EntitySubscriptionsAck, EntityTarget } from './entity-events.js';

/** socket.io-client's own constraint on event maps. */
 
export type EventsMap = { [event: string]: any };
/** Any event with any payload: the map when no generated one is given. */
 
export type AnyEvents = { [event: string]: (...args: any[]) => void };

export interface SocketClientOptions extends CredentialOptions {
  /** The Strapi server (`http://localhost:1337`). */
  url: string;
  /** What the token is: a users-permissions JWT (default) or a Strapi API token (plugin-io's handshake `strategy`). */
  strategy?: 'jwt' | 'api-token';
  /** The Socket.IO path (the plugin's `socket.serverOptions.path`, default `/socket.io`). */
  path?: string;
  /** How long the entity helpers wait for the server's ack (default 10 s); they reject after it. */
  ackTimeoutMs?: number;
  /** Any other socket.io-client option (`transports`, `reconnection`, `autoConnect`, ...). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
  /**
   * Content events were missed and cannot be replayed (away longer than the server keeps events, a server restart):
   * refetch what the UI shows. Within the window, socket.io-client's connection state recovery brings missed events
   * by itself (`socket.recovered`), replayed by the server for the socket's permissions at that moment.
   */
  onGap?: (gap: SocketGap) => void;
}

/** The `realtime:gap` event: why events were missed, and the cursor the socket continues from. */
export interface SocketGap {
  reason: string;
  cursor: string | null;
}

export interface EntitySubscriptionHelpers {
  /** Joins the entity's room (`api::article.article:12`); resolves with the server's ack. */
  subscribeEntity(target: EntityTarget): Promise<EntitySubscriptionAck>;
  unsubscribeEntity(target: EntityTarget): Promise<EntitySubscriptionAck>;
  getEntitySubscriptions(): Promise<EntitySubscriptionsAck>;
}

export type RealtimeSocket<ServerEvents extends EventsMap = AnyEvents, ClientEvents extends EventsMap = EntityClientEvents> = Socket<
  ServerEvents,
  ClientEvents
> &
  EntitySubscriptionHelpers;

/**
 * A socket.io-client socket authenticated with plugin-io's handshake (`auth: { strategy, token }`). With
 * `getToken`, the token is read again before every (re)connection, and a socket the server disconnected because
 * its token expired connects again. If `getToken` fails the socket disconnects rather than connecting as the
 * Public role.
 */
export const createSocketClient = <ServerEvents extends EventsMap = AnyEvents, ClientEvents extends EventsMap = EntityClientEvents>(
  options: SocketClientOptions,
): RealtimeSocket<ServerEvents, ClientEvents> => {
  const credential = tokenSource(options);
  const strategy = options.strategy ?? 'jwt';
  const ackTimeoutMs = options.ackTimeoutMs ?? 10_000;

  const socket: Socket<ServerEvents, ClientEvents> = io(options.url, {
    ...options.socketOptions,
    ...(options.path ? { path: options.path } : {}),
    auth: (send: (data: object) => void) => {
      credential().then(
        (token) => send(token ? { strategy, token } : {}),
        () => socket.disconnect(),
      );
    },
  });
  // The helpers speak the plugin's own events, whatever map the caller typed the socket with.
  const entities = socket as unknown as Socket<AnyEvents, EntityClientEvents>;

  if (options.getToken) {
    // The server disconnects a socket whose token expired (after an `error` event saying so), and socket.io-client
    // never reconnects after a server-side disconnect by itself: reconnect, which asks getToken for a fresh one.
    // A token that is refused at the handshake ends in `connect_error`, which is not retried: no loop.
    let expired = false;
    entities.on('error', (error: { code?: string } | undefined) => {
      if (error?.code === 'TOKEN_EXPIRED') expired = true;
    });
    entities.on('disconnect', (reason) => {
      if (reason === 'io server disconnect' && expired) socket.connect();
      expired = false;
    });
  }
  if (options.onGap) {
    const onGap = options.onGap;
    entities.on('realtime:gap', (gap: SocketGap) => onGap(gap));
  }

  // Entity subscriptions this client made: a reconnection whose session was not recovered (another node, a server
  // restart, past the window) joins them again. Events are not what is lost there: those are replayed or signalled.
  const subscribed = new Map<string, EntityTarget>();
  const keyOf = (target: EntityTarget) => JSON.stringify(target);
  let connectedBefore = false;
  entities.on('connect', () => {
    if (connectedBefore && !socket.recovered) {
      for (const target of subscribed.values()) void entities.timeout(ackTimeoutMs).emitWithAck('subscribe-entity', target).catch(() => undefined);
    }
    connectedBefore = true;
  });

  const helpers: EntitySubscriptionHelpers = {
    subscribeEntity: async (target) => {
      const ack = await entities.timeout(ackTimeoutMs).emitWithAck('subscribe-entity', target);
      if (ack.success) subscribed.set(keyOf(target), target);
      return ack;
    },
    unsubscribeEntity: async (target) => {
      subscribed.delete(keyOf(target));
      return entities.timeout(ackTimeoutMs).emitWithAck('unsubscribe-entity', target);
    },
    getEntitySubscriptions: () => entities.timeout(ackTimeoutMs).emitWithAck('get-entity-subscriptions'),
  };
  return Object.assign(socket, helpers);
};
