import type { Principal } from '../../pipeline/principal';
import { expiryTimer } from '../expiry-timer';
import { principalRooms, socketDataFor } from './principal-rooms';
import { audienceRoomName } from '../../names/socket-io-names';
import type { RealtimeSocket, RealtimeSocketData } from './types';

const noop = () => undefined;

export interface Connection {
  socket: RealtimeSocket;
  /** The resolved principal, raw credential included (kept in memory to re-resolve it on permission changes). */
  principal: Principal;
  /** Rooms joined because of the principal; left again when the principal changes. */
  rooms: string[];
  /** Catching up after a reconnection: not in its audience room yet, so live broadcasts wait for the replay. */
  catchingUp: boolean;
  address: string;
  stopExpiry: () => void;
  /** Returns the connection limiter's ticket; called when the connection leaves the registry. */
  release: () => void;
}

/**
 * This node's authenticated sockets and how many sit in each audience. Delivery works per audience in use,
 * never per socket: the counts decide which audiences get an event prepared at all.
 */
export const createConnectionRegistry = (options: {
  publicRoleName: string;
  /** Called when a connection's credential expires (the socket is told why, then disconnected). */
  onExpired: (connection: Connection) => void;
}) => {
  const connections = new Map<string, Connection>();
  const audienceCounts = new Map<string, number>();

  const count = (audienceKey: string, delta: number) => {
    const next = (audienceCounts.get(audienceKey) ?? 0) + delta;
    if (next > 0) audienceCounts.set(audienceKey, next);
    else audienceCounts.delete(audienceKey);
  };

  // A principal's rooms and socket.data fields, built once per principal: every anonymous connection shares the one
  // Public principal, so they share these too instead of each holding copies. (Only read, never mutated.)
  const views = new WeakMap<Principal, { rooms: string[]; data: RealtimeSocketData }>();
  const viewOf = (principal: Principal) => {
    let view = views.get(principal);
    if (!view) {
      view = { rooms: principalRooms(principal, options.publicRoleName), data: socketDataFor(principal, options.publicRoleName) };
      views.set(principal, view);
    }
    return view;
  };

  // `join`/`leave` return a promise only with cluster adapters; the in-memory and Redis adapters apply them at once.
  const apply = (connection: Connection, principal: Principal) => {
    const { rooms, data } = viewOf(principal);
    for (const room of connection.rooms) if (!rooms.includes(room)) void connection.socket.leave(room);
    const audienceRoom = audienceRoomName(principal.audienceKey);
    void connection.socket.join(connection.catchingUp ? rooms.filter((room) => room !== audienceRoom) : rooms);
    connection.rooms = rooms;
    connection.principal = principal;
    // Keep anything else user middleware put on socket.data.
    Object.assign(connection.socket.data, data);
    connection.stopExpiry();
    // No timer (and no closure kept for the socket's life) for a credential that never expires.
    connection.stopExpiry = principal.expiresAt === null ? noop : expiryTimer(principal.expiresAt, () => options.onExpired(connection));
  };

  return {
    /**
     * `catchingUp`: the socket resumes; it joins its audience room with `caughtUp` once its replay is done.
     * `release` (the connection limiter's ticket) is called once the socket is removed.
     */
    add(socket: RealtimeSocket, principal: Principal, address: string, catchingUp = false, release: () => void = noop): Connection {
      const connection: Connection = { socket, principal, rooms: [], address, catchingUp, stopExpiry: noop, release };
      connections.set(socket.id, connection);
      count(principal.audienceKey, 1);
      apply(connection, principal);
      return connection;
    },
    /** A re-resolved principal: moves the socket to its new rooms; true when its audience changed. */
    update(connection: Connection, principal: Principal): boolean {
      if (!connections.has(connection.socket.id)) return false;
      const before = connection.principal.audienceKey;
      if (before !== principal.audienceKey) {
        count(before, -1);
        count(principal.audienceKey, 1);
      }
      apply(connection, principal);
      return before !== principal.audienceKey;
    },
    /** The replay is done: from now on the socket receives live broadcasts of its audience. */
    caughtUp(connection: Connection) {
      if (!connection.catchingUp) return;
      connection.catchingUp = false;
      if (connections.has(connection.socket.id)) void connection.socket.join(audienceRoomName(connection.principal.audienceKey));
    },
    remove(socketId: string) {
      const connection = connections.get(socketId);
      if (!connection) return;
      connection.stopExpiry();
      connections.delete(socketId);
      count(connection.principal.audienceKey, -1);
      connection.release();
    },
    get: (socketId: string) => connections.get(socketId),
    all: () => connections.values(),
    get size() {
      return connections.size;
    },
    /** Audiences with at least one connected socket on this node. */
    audiences: () => [...audienceCounts.keys()],
    clear() {
      for (const connection of connections.values()) {
        connection.stopExpiry();
        connection.release();
      }
      connections.clear();
      audienceCounts.clear();
    },
  };
};

export type ConnectionRegistry = ReturnType<typeof createConnectionRegistry>;
