import type { Server as HttpServer } from 'node:http';
import { Server, type Namespace, type ServerOptions } from 'socket.io';
import type { RealtimeServer } from './types';

/** engine.io replaces the `request` listeners and adds `upgrade`/`close`/`listening` ones when it attaches. */
const TOUCHED_EVENTS = ['request', 'upgrade', 'close', 'listening'] as const;

const snapshotListeners = (server: HttpServer) => {
  const saved = new Map(TOUCHED_EVENTS.map((event) => [event, server.listeners(event)]));
  return () => {
    for (const [event, listeners] of saved) {
      for (const listener of server.listeners(event)) {
        if (!listeners.includes(listener)) server.off(event, listener as never);
      }
      for (const listener of listeners) {
        if (!server.listeners(event).includes(listener)) server.on(event, listener as never);
      }
    }
  };
};

/**
 * Socket.IO on Strapi's HTTP server. `destroyUpgrade: false`: engine.io must leave other paths' upgrades
 * (graphql-ws) to the upgrade router instead of ending them. `close()` disconnects every socket and closes
 * the engine, then gives the HTTP server its original listeners back; it never calls `io.close()`, which
 * would close Strapi's own HTTP server.
 */
export const createSocketServer = (httpServer: HttpServer, options: Partial<ServerOptions>) => {
  const restoreListeners = snapshotListeners(httpServer);
  const io: RealtimeServer = new Server(httpServer, { ...options, destroyUpgrade: false });

  return {
    io,
    async close() {
      const namespaces = [...((io as unknown as { _nsps?: Map<string, Namespace> })._nsps?.values() ?? [])];
      for (const namespace of namespaces) {
        for (const socket of namespace.sockets.values()) socket.disconnect(true);
      }
      // Adapters may hold connections of their own (Redis pub/sub): release them as io.close() would.
      await Promise.allSettled(namespaces.map(async (namespace) => namespace.adapter.close()));
      io.engine?.close();
      restoreListeners();
    },
  };
};
