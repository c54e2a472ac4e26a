import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

const pathOf = (request: IncomingMessage) => (request.url ?? '/').split('?')[0];

/**
 * The one `upgrade` listener of Strapi's HTTP server. Paths are claimed by a handler (graphql-ws) or as
 * handled elsewhere (engine.io listens on its own path); an upgrade to any other path is refused at once
 * instead of hanging until the client gives up.
 */
export const createUpgradeRouter = (server: Server) => {
  const handlers = new Map<string, UpgradeHandler | null>();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = pathOf(request);
    const match = [...handlers.entries()].find(([claimed]) => path === claimed || path.startsWith(`${claimed.replace(/\/$/, '')}/`));
    if (match) {
      match[1]?.(request, socket, head);
      return;
    }
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    socket.destroy();
  };
  server.on('upgrade', onUpgrade);

  return {
    /** `handler` null: the path is served by another `upgrade` listener (engine.io); only keep it alive. */
    claim(path: string, handler: UpgradeHandler | null) {
      if (handlers.has(path)) throw new Error(`[realtime] two transports claim the WebSocket path ${path}`);
      handlers.set(path, handler);
      return () => handlers.delete(path);
    },
    stop() {
      server.off('upgrade', onUpgrade);
      handlers.clear();
    },
  };
};

export type UpgradeRouter = ReturnType<typeof createUpgradeRouter>;
