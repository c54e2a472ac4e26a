import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  CloseCode,
  GRAPHQL_TRANSPORT_WS_PROTOCOL,
  MessageType,
  parseMessage,
  type SubscribeMessage,
} from 'graphql-ws';
import { GraphQLError, execute, getOperationAST, type GraphQLFormattedError, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { GraphqlTransportConfig } from '../../config/types';
import type { Pipeline } from '../../pipeline/pipeline';
import type { Principal } from '../../pipeline/principal';
import { AuthError } from '../../pipeline/auth-error';
import type { Observability } from '../../observability/observability';
import type { UpgradeRouter } from '../upgrade-router';
import type { SubscriptionHub } from './subscription-hub';
import { credentialFrom } from './credential';
import { createDocumentCache } from './document-cache';
import { sendTextFrame } from './text-frame';
import { expiryTimer } from '../expiry-timer';

interface Connection {
  ws: WebSocket;
  principal: Principal | null;
  initReceived: boolean;
  /** Subscription id → unsubscribe; `null` while the subscribe request is still being checked. */
  subscriptions: Map<string, (() => void) | null>;
  /** The subscribe requests, kept to re-subscribe when the principal's audience changes. */
  requests: Map<string, SubscribeMessage['payload']>;
  alive: boolean;
  /** Which tick of the keep-alive cycle pings this connection. */
  keepAliveSlice: number;
  stopExpiry: () => void;
}

/** Close reasons are limited to 123 bytes by the WebSocket protocol. */
const reason = (text: string) => (Buffer.byteLength(text) > 123 ? `${text.slice(0, 119)}...` : text);
const SLOW_CONSUMER = 1013;
const MESSAGE_TAIL = Buffer.from('}');
/** The keep-alive interval is cut into this many ticks, each pinging its own share of the connections. */
const KEEP_ALIVE_SLICES = 10;

/**
 * The GraphQL over WebSocket protocol (graphql-transport-ws, what graphql-ws, Apollo's GraphQLWsLink and urql
 * speak), served on Strapi's HTTP server. Implemented here rather than with graphql-ws's `useServer` so a
 * group's `next` message is executed and serialized once and the same bytes go to every socket of the group.
 */
export const startGraphqlWsServer = (options: {
  config: GraphqlTransportConfig;
  schema: GraphQLSchema;
  hub: SubscriptionHub;
  pipeline: Pipeline;
  upgrades: UpgradeRouter;
  monitor: Observability;
  validationRules: readonly ValidationRule[];
  log: { warn(message: string): void; error(message: string): void };
}) => {
  const { config, schema, hub, pipeline, upgrades, monitor, validationRules, log } = options;
  const connections = new Set<Connection>();
  let connectionCount = 0;
  const checkDocument = createDocumentCache(schema, validationRules);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.maxMessageBytes,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(GRAPHQL_TRANSPORT_WS_PROTOCOL) ? GRAPHQL_TRANSPORT_WS_PROTOCOL : false),
  });

  const send = (connection: Connection, message: object) => {
    if (connection.ws.readyState === connection.ws.OPEN) connection.ws.send(JSON.stringify(message));
  };
  const sendErrors = (connection: Connection, id: string, errors: readonly (GraphQLError | GraphQLFormattedError)[]) => {
    connection.subscriptions.delete(id);
    connection.requests.delete(id);
    send(connection, { id, type: MessageType.Error, payload: errors.map((e) => (e instanceof GraphQLError ? e.toJSON() : e)) });
  };
  const close = (connection: Connection, code: number, text: string) => {
    if (connection.ws.readyState === connection.ws.OPEN || connection.ws.readyState === connection.ws.CONNECTING) {
      connection.ws.close(code, reason(text));
    }
  };

  const subscribe = async (connection: Connection, id: string, payload: SubscribeMessage['payload'], principal: Principal) => {
    const { document, errors } = checkDocument(payload.query);
    if (!document || errors.length > 0) return sendErrors(connection, id, errors);

    const operation = getOperationAST(document, payload.operationName ?? undefined);
    if (operation?.operation === 'query') {
      const result = await execute({ schema, document, variableValues: payload.variables, operationName: payload.operationName });
      send(connection, { id, type: MessageType.Next, payload: result });
      send(connection, { id, type: MessageType.Complete });
      connection.subscriptions.delete(id);
      connection.requests.delete(id);
      return;
    }

    // The message head is fixed per subscription: per event only the group's shared bytes are copied in
    // (no per-subscriber serialization or UTF-8 encoding).
    const head = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
    const outcome = await hub.subscribe({
      principal,
      document,
      operationName: payload.operationName,
      variables: payload.variables,
      sink: {
        next({ bytes, event, audienceKey }) {
          const { ws } = connection;
          if (ws.readyState !== ws.OPEN) return;
          if (ws.bufferedAmount > config.maxBufferedBytes) {
            close(connection, SLOW_CONSUMER, 'Slow consumer: too many undelivered messages');
            monitor.slowClientClosed('graphql-ws');
            return;
          }
          sendTextFrame(ws, head, bytes, MESSAGE_TAIL);
          monitor.delivered('graphql-ws', event, audienceKey);
        },
      },
    });
    if (!outcome.ok) return sendErrors(connection, id, outcome.errors);
    // Completed by the client or disconnected while we were checking: drop it again.
    if (!connection.subscriptions.has(id) || connection.ws.readyState !== connection.ws.OPEN) {
      outcome.unsubscribe();
      return;
    }
    connection.subscriptions.set(id, outcome.unsubscribe);
  };

  const unsubscribeAll = (connection: Connection) => {
    for (const unsubscribe of connection.subscriptions.values()) unsubscribe?.();
    connection.subscriptions.clear();
  };

  /** A refused credential closes with 4403 (clients reconnect with fresh connection params); anything else 4500. */
  const refuse = (connection: Connection, error: unknown) => {
    if (error instanceof AuthError) close(connection, CloseCode.Forbidden, `Forbidden: ${error.message} (${error.code})`);
    else {
      log.error(`[realtime] graphql-ws authentication failed: ${String(error)}`);
      close(connection, CloseCode.InternalServerError, 'Internal server error');
    }
  };

  const authenticate = async (connection: Connection, credential: string | null): Promise<Principal | null> => {
    try {
      return await pipeline.resolvePrincipal(credential);
    } catch (error) {
      monitor.connectionRefused('graphql-ws', error instanceof AuthError ? error.code : 'internal_error');
      refuse(connection, error);
      return null;
    }
  };

  const acknowledge = (connection: Connection, principal: Principal) => {
    connection.principal = principal;
    connection.stopExpiry();
    // Clients reconnect on 4403 and send fresh connection params (e.g. a refreshed JWT).
    connection.stopExpiry = expiryTimer(principal.expiresAt, () => close(connection, CloseCode.Forbidden, 'Forbidden: token expired'));
  };

  const handle = async (connection: Connection, data: string) => {
    let message;
    try {
      message = parseMessage(data);
    } catch (error) {
      return close(connection, CloseCode.BadRequest, `Invalid message received: ${(error as Error).message}`);
    }

    switch (message.type) {
      case MessageType.ConnectionInit: {
        if (connection.initReceived) return close(connection, CloseCode.TooManyInitialisationRequests, 'Too many initialisation requests');
        connection.initReceived = true;
        const credential = credentialFrom(message.payload);
        const principal = await authenticate(connection, credential);
        if (!principal || connection.ws.readyState !== connection.ws.OPEN) return;
        acknowledge(connection, principal);
        send(connection, { type: MessageType.ConnectionAck });
        monitor.logEvent('connection', { transport: 'graphql-ws', audience: principal.audienceKey });
        return;
      }
      case MessageType.Ping:
        return send(connection, message.payload ? { type: MessageType.Pong, payload: message.payload } : { type: MessageType.Pong });
      case MessageType.Pong:
        return;
      case MessageType.Subscribe: {
        const { principal } = connection;
        if (!principal) return close(connection, CloseCode.Unauthorized, 'Unauthorized');
        if (connection.subscriptions.has(message.id)) return close(connection, CloseCode.SubscriberAlreadyExists, `Subscriber for ${message.id} already exists`);
        if (connection.subscriptions.size >= config.maxSubscriptionsPerConnection) {
          return send(connection, {
            id: message.id,
            type: MessageType.Error,
            payload: [
              {
                message: `Too many subscriptions on this connection (the maximum is ${config.maxSubscriptionsPerConnection}).`,
                extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
              },
            ],
          });
        }
        connection.subscriptions.set(message.id, null);
        connection.requests.set(message.id, message.payload);
        return subscribe(connection, message.id, message.payload, principal);
      }
      case MessageType.Complete: {
        connection.subscriptions.get(message.id)?.();
        connection.subscriptions.delete(message.id);
        connection.requests.delete(message.id);
        return;
      }
      default:
        return close(connection, CloseCode.BadRequest, `Unexpected message of type ${message.type} received`);
    }
  };

  const onConnection = (ws: WebSocket, _request: IncomingMessage) => {
    if (ws.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL) {
      monitor.connectionRefused('graphql-ws', 'bad_subprotocol');
      ws.close(CloseCode.SubprotocolNotAcceptable, 'Subprotocol not acceptable');
      return;
    }
    const connection: Connection = {
      ws,
      principal: null,
      initReceived: false,
      subscriptions: new Map(),
      requests: new Map(),
      alive: true,
      keepAliveSlice: connectionCount++ % KEEP_ALIVE_SLICES,
      stopExpiry: () => undefined,
    };
    connections.add(connection);
    const initTimeout = setTimeout(() => {
      if (connection.principal) return;
      monitor.connectionRefused('graphql-ws', 'init_timeout');
      close(connection, CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
    }, config.connectionInitTimeoutMs);

    ws.on('message', (data) => {
      handle(connection, String(data)).catch((error) => {
        log.error(`[realtime] graphql-ws message failed: ${error instanceof Error ? error.stack : String(error)}`);
        monitor.error('internal');
        close(connection, CloseCode.InternalServerError, 'Internal server error');
      });
    });
    ws.on('pong', () => {
      connection.alive = true;
    });
    // Socket errors (bad frames, oversized messages → 1009) end in 'close'; nothing to do here but not crash.
    ws.on('error', () => undefined);
    ws.on('close', () => {
      clearTimeout(initTimeout);
      connection.stopExpiry();
      unsubscribeAll(connection);
      connections.delete(connection);
      if (connection.principal) monitor.logEvent('disconnect', { transport: 'graphql-ws', audience: connection.principal.audienceKey });
    });
  };

  const releasePath = upgrades.claim(config.path, (request, socket, head) =>
    wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, request)),
  );

  // Dead peers (no pong for a whole interval) are terminated so their subscriptions do not linger. Pings
  // are spread over the interval (one slice of the connections per tick): thousands of pings at once would
  // stall the event deliveries queued behind them.
  let tick = 0;
  const keepAlive =
    config.keepAliveMs > 0
      ? setInterval(() => {
          const slice = tick++ % KEEP_ALIVE_SLICES;
          for (const connection of connections) {
            if (connection.keepAliveSlice !== slice) continue;
            if (!connection.alive) {
              connection.ws.terminate();
              continue;
            }
            connection.alive = false;
            connection.ws.ping();
          }
        }, config.keepAliveMs / KEEP_ALIVE_SLICES)
      : null;
  keepAlive?.unref();

  /** A user or token changed: re-resolve the affected principals; refuse the ones no longer valid. */
  const stopWatching = pipeline.onPermissionChange(async (change) => {
    for (const { holders, principal, error } of await pipeline.recheck(change, connections, (c) => c.principal)) {
      for (const connection of holders) {
        if (!principal) {
          refuse(connection, error);
          continue;
        }
        const before = connection.principal!;
        acknowledge(connection, principal);
        if (principal.audienceKey === before.audienceKey) continue;
        // New audience (e.g. another role): every subscription is checked and grouped again.
        unsubscribeAll(connection);
        for (const [id, payload] of connection.requests) {
          connection.subscriptions.set(id, null);
          await subscribe(connection, id, payload, principal);
        }
      }
    }
  });

  return {
    stats() {
      let subscriptions = 0;
      let open = 0;
      for (const connection of connections) {
        if (connection.principal) open++;
        subscriptions += connection.subscriptions.size;
      }
      return { connections: open, subscriptions };
    },
    async stop() {
      stopWatching();
      if (keepAlive) clearInterval(keepAlive);
      releasePath();
      for (const connection of connections) close(connection, 1001, 'Server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
};
