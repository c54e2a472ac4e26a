import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode, GRAPHQL_TRANSPORT_WS_PROTOCOL } from 'graphql-ws';
import type { GraphqlTransportConfig } from '../../config/types';
import type { UpgradeRouter } from '../upgrade-router';
import type { GraphqlWsProtocol, ProtocolSocket } from './graphql-ws-protocol';
import { sendTextFrame } from './text-frame';

/** The keep-alive interval is cut into this many ticks, each pinging its own share of the connections. */
const KEEP_ALIVE_SLICES = 10;

interface Liveness {
  alive: boolean;
  /** Which tick of the keep-alive cycle pings this connection. */
  slice: number;
}

/** A `ws` WebSocket as the protocol core sees it. */
const protocolSocket = (ws: WebSocket): ProtocolSocket => ({
  get open() {
    return ws.readyState === ws.OPEN;
  },
  get bufferedAmount() {
    return ws.bufferedAmount;
  },
  send: (text) => ws.send(text),
  sendParts: (head, body, tail) => sendTextFrame(ws, head, body, tail),
  close(code, reason) {
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
  },
});

/**
 * The `ws` adapter of the graphql-transport-ws protocol core, on Strapi's HTTP server: the upgrade on the
 * configured path, subprotocol agreement, frames in and out, keep-alive. Everything the protocol means lives in
 * the core (graphql-ws-protocol.ts).
 */
export const startGraphqlWsServer = (options: { config: GraphqlTransportConfig; protocol: GraphqlWsProtocol; upgrades: UpgradeRouter }) => {
  const { config, protocol, upgrades } = options;
  const liveness = new Map<WebSocket, Liveness>();
  let opened = 0;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.maxMessageBytes,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(GRAPHQL_TRANSPORT_WS_PROTOCOL) ? GRAPHQL_TRANSPORT_WS_PROTOCOL : false),
  });

  const onConnection = (ws: WebSocket) => {
    if (ws.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL) {
      ws.close(CloseCode.SubprotocolNotAcceptable, 'Subprotocol not acceptable');
      return;
    }
    const connection = protocol.opened(protocolSocket(ws));
    const state: Liveness = { alive: true, slice: opened++ % KEEP_ALIVE_SLICES };
    liveness.set(ws, state);
    ws.on('message', (data) => void connection.message(String(data)));
    ws.on('pong', () => {
      state.alive = true;
    });
    // Socket errors (bad frames, oversized messages → 1009) end in 'close'; nothing to do here but not crash.
    ws.on('error', () => undefined);
    ws.on('close', () => {
      liveness.delete(ws);
      connection.closed();
    });
  };

  const releasePath = upgrades.claim(config.path, (request, socket, head) => wss.handleUpgrade(request, socket, head, onConnection));

  // Dead peers (no pong for a whole interval) are terminated so their subscriptions do not linger. Pings are
  // spread over the interval (one slice of the connections per tick): thousands at once would stall deliveries.
  let tick = 0;
  const keepAlive =
    config.keepAliveMs > 0
      ? setInterval(() => {
          const slice = tick++ % KEEP_ALIVE_SLICES;
          for (const [ws, state] of liveness) {
            if (state.slice !== slice) continue;
            if (!state.alive) {
              ws.terminate();
              continue;
            }
            state.alive = false;
            ws.ping();
          }
        }, config.keepAliveMs / KEEP_ALIVE_SLICES)
      : null;
  keepAlive?.unref();

  return {
    async stop() {
      if (keepAlive) clearInterval(keepAlive);
      releasePath();
      protocol.closeAll(1001, 'Server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
};
