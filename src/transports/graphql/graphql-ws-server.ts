import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode, GRAPHQL_TRANSPORT_WS_PROTOCOL } from 'graphql-ws';
import type { GraphqlTransportConfig } from '../../config/types';
import type { Duplex } from 'node:stream';
import type { UpgradeRouter } from '../upgrade-router';
import type { ConnectionLimiter, ConnectionRefusal } from '../connection-limiter';
import { clientAddress } from '../client-address';
import type { StrapiAdapter } from '../../strapi/strapi-adapter';
import type { GraphqlWsProtocol, ProtocolSocket } from './graphql-ws-protocol';
import { rawSocketOf, sendTextFrame } from '../websocket-frame';
import type { DeliverySlices } from '../../delivery/delivery-slices';
import { SLOW_CONSUMER_CLOSE_CODE, destroyAfterGrace } from '../slow-consumer';

/** The keep-alive interval is cut into this many ticks, each pinging its own share of the connections. */
const KEEP_ALIVE_SLICES = 10;

interface Liveness {
  alive: boolean;
  /** Which tick of the keep-alive cycle pings this connection. */
  slice: number;
}

/** A `ws` WebSocket as the protocol core sees it; fan-out writes are held until the slice ends (one writev). */
const protocolSocket = (ws: WebSocket, slices: DeliverySlices): ProtocolSocket => ({
  get open() {
    return ws.readyState === ws.OPEN;
  },
  get bufferedAmount() {
    return ws.bufferedAmount;
  },
  send: (text) => ws.send(text),
  sendParts(head, body, tail) {
    const raw = rawSocketOf(ws);
    if (raw) slices.hold(raw);
    sendTextFrame(ws, head, body, tail);
  },
  close(code, reason) {
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
    if (code === SLOW_CONSUMER_CLOSE_CODE) destroyAfterGrace(() => ws.terminate());
  },
});

const STATUS_TEXT = { 429: 'Too Many Requests', 503: 'Service Unavailable' } as const;

/** Refuses an upgrade with a plain HTTP answer (before any WebSocket exists, so no close code can be sent). */
const refuseUpgrade = (socket: Duplex, refusal: ConnectionRefusal) => {
  const body = JSON.stringify({ errors: [{ message: refusal.message, extensions: { code: refusal.code } }] });
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_TEXT[refusal.status]}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
};

/**
 * The `ws` adapter of the graphql-transport-ws protocol core, on Strapi's HTTP server: the upgrade on the
 * configured path, subprotocol agreement, frames in and out, keep-alive. Everything the protocol means lives in
 * the core (graphql-ws-protocol.ts).
 */
export const startGraphqlWsServer = (options: {
  config: GraphqlTransportConfig;
  protocol: GraphqlWsProtocol;
  upgrades: UpgradeRouter;
  limiter: ConnectionLimiter;
  strapi: Pick<StrapiAdapter, 'config'>;
  slices: DeliverySlices;
}) => {
  const { config, protocol, upgrades, limiter, strapi, slices } = options;
  const liveness = new Map<WebSocket, Liveness>();
  let opened = 0;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.maxMessageBytes,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(GRAPHQL_TRANSPORT_WS_PROTOCOL) ? GRAPHQL_TRANSPORT_WS_PROTOCOL : false),
  });

  const onConnection = (ws: WebSocket, release: () => void) => {
    ws.once('close', release);
    if (ws.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL) {
      protocol.refused('bad_subprotocol');
      ws.close(CloseCode.SubprotocolNotAcceptable, 'Subprotocol not acceptable');
      return;
    }
    const connection = protocol.opened(protocolSocket(ws, slices));
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

  // Every socket holds a ticket of the shared connection limiter from the upgrade until it closes.
  const releasePath = upgrades.claim(config.path, (request, socket, head) => {
    const admission = limiter.admit(clientAddress(strapi, request.socket.remoteAddress ?? '', request.headers));
    if (!admission.ok) {
      protocol.refused(admission.refusal.code);
      return refuseUpgrade(socket, admission.refusal);
    }
    // A handshake that fails (bad headers, the client gone) never gets a WebSocket: release with the socket.
    socket.once('close', admission.release);
    wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, admission.release));
  });

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
