import { CloseCode, MessageType, parseMessage, type SubscribeMessage } from 'graphql-ws';
import { GraphQLError, OperationTypeNode, execute, getOperationAST, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { GraphqlTransportConfig } from '../../config/types';
import type { Log } from '../../log';
import type { Pipeline } from '../../pipeline/pipeline';
import type { Principal } from '../../pipeline/principal';
import { AuthError } from '../../pipeline/auth-error';
import type { Observability } from '../../observability/observability';
import type { SubscriptionHub } from './subscription-hub';
import type { DocumentCheck } from './document-cache';
import { credentialFrom } from './credential';
import { expiryTimer } from '../expiry-timer';
import { closeReason } from '../close-reason';
import { SLOW_CONSUMER_CLOSE_CODE } from '../slow-consumer';
import type { BacklogBudget } from '../../delivery/backlog-budget';

/** What the protocol needs of a socket: the `ws` adapter gives it a WebSocket, tests a fake. */
export interface ProtocolSocket {
  /** True while messages can be written. */
  readonly open: boolean;
  /** Outgoing bytes queued and not yet written to the network. */
  readonly bufferedAmount: number;
  /** A protocol message, already serialized. */
  send(text: string): void;
  /** A `next` message given as prebuilt parts (`head + body + tail` is the JSON text): the fan-out hot path. */
  sendParts(head: Buffer, body: Buffer, tail: Buffer): void;
  close(code: number, reason: string): void;
}

/** The socket's side of an opened connection: the adapter feeds it frames and tells it when the socket closed. */
export interface OpenedConnection {
  /** Handles one text frame. Never rejects: failures close the socket with 4500 and are logged. */
  message(data: string): Promise<void>;
  closed(): void;
}

/**
 * One operation of one connection. Its id is reserved from `subscribe` until it completes, fails or the socket
 * closes; `state` says whether the hub holds it yet. A record that is no longer in `operations` is finished.
 */
interface Operation {
  id: string;
  payload: SubscribeMessage['payload'];
  unsubscribe: (() => void) | null;
}

interface Connection {
  socket: ProtocolSocket;
  principal: Principal | null;
  initReceived: boolean;
  closed: boolean;
  operations: Map<string, Operation>;
  /** Subscribes still being checked, cancelled ones included: bounds the work one client can have in flight. */
  inFlight: number;
  stopExpiry: () => void;
  stopInitTimer: () => void;
}

const MESSAGE_TAIL = Buffer.from('}');

/**
 * The GraphQL over WebSocket protocol (graphql-transport-ws: what graphql-ws, Apollo's GraphQLWsLink and urql
 * speak) as a state machine apart from any socket library, as graphql-ws's own `makeServer` is. Subscriptions go
 * to the hub, which executes and serializes once per group; this layer only keeps the protocol exact:
 * - an id is reserved from `subscribe` until it completes, fails, or the socket closes (a second `subscribe`
 *   with a reserved id closes with 4409);
 * - `complete` during a pending subscribe cancels it: the hub never holds a subscription the connection does
 *   not track, and nothing outlives the socket;
 * - every credential is Strapi's, and a revocation (pipeline recheck) closes with 4403 or regroups.
 */
export const createGraphqlWsProtocol = (options: {
  config: GraphqlTransportConfig;
  schema: GraphQLSchema;
  hub: SubscriptionHub;
  pipeline: Pipeline;
  checkDocument: DocumentCheck;
  monitor: Observability;
  log: Log;
  /** The byte budget of all sockets together: every connection is counted in while it is open. */
  backlog: BacklogBudget;
  /** The event log's newest position: `connection_ack` carries it, so a client can resume even before its first event. */
  head: () => string | null;
}) => {
  const { config, schema, hub, pipeline, checkDocument, monitor, log, backlog, head } = options;
  const connections = new Set<Connection>();

  const send = (connection: Connection, message: object) => {
    if (connection.socket.open) connection.socket.send(JSON.stringify(message));
  };
  const close = (connection: Connection, code: number, reason: string) => {
    if (!connection.closed) connection.socket.close(code, closeReason(reason));
  };
  /** A client that does not take what it is sent: closed rather than buffered for without end. */
  const closeSlow = (connection: Connection) => {
    if (connection.closed) return;
    close(connection, SLOW_CONSUMER_CLOSE_CODE, 'Slow consumer: too many undelivered messages');
    monitor.slowClientClosed('graphql-ws');
  };
  const untrackBacklog = backlog.track({
    connections: () => connections,
    buffered: (connection) => connection.socket.bufferedAmount,
    shed: closeSlow,
  });
  const isCurrent = (connection: Connection, operation: Operation) =>
    !connection.closed && connection.operations.get(operation.id) === operation;

  /** Ends an operation with errors, if it is still the one its id names. */
  const fail = (connection: Connection, operation: Operation, errors: readonly (GraphQLError | GraphQLFormattedError)[]) => {
    if (!isCurrent(connection, operation)) return;
    connection.operations.delete(operation.id);
    send(connection, { id: operation.id, type: MessageType.Error, payload: errors.map((e) => (e instanceof GraphQLError ? e.toJSON() : e)) });
  };

  /** Checks the document and hands the operation to the hub; a completion or close meanwhile cancels it. */
  const start = async (connection: Connection, operation: Operation, principal: Principal) => {
    const { document, errors } = checkDocument(operation.payload.query);
    if (!document) return fail(connection, operation, errors);

    const { id, payload } = operation;
    const definition = getOperationAST(document, payload.operationName ?? undefined);
    if (definition?.operation === OperationTypeNode.QUERY) {
      const result = await execute({ schema, document, rootValue: { realtimeCursor: head }, variableValues: payload.variables, operationName: payload.operationName });
      if (!isCurrent(connection, operation)) return;
      connection.operations.delete(id);
      send(connection, { id, type: MessageType.Next, payload: result });
      send(connection, { id, type: MessageType.Complete });
      return;
    }

    // The message head is fixed per operation: per event only the group's shared bytes are copied in.
    const messageHead = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
    const outcome = await hub.subscribe({
      principal,
      document,
      operationName: payload.operationName,
      variables: payload.variables,
      // A client resuming after a reconnection sends the cursor of the last result it got.
      resumeAfter: typeof payload.extensions?.cursor === 'string' ? payload.extensions.cursor : null,
      sink: {
        transport: 'graphql-ws',
        next({ bytes }) {
          const { socket } = connection;
          if (!socket.open || !isCurrent(connection, operation)) return false;
          if (socket.bufferedAmount > config.maxBufferedBytes) {
            closeSlow(connection);
            return false;
          }
          socket.sendParts(messageHead, bytes, MESSAGE_TAIL);
          return true;
        },
      },
    });
    if (!outcome.ok) return fail(connection, operation, outcome.errors);
    if (!isCurrent(connection, operation)) {
      // Completed by the client, superseded or disconnected while it was being checked.
      outcome.unsubscribe();
      return;
    }
    operation.unsubscribe = outcome.unsubscribe;
  };

  const run = (connection: Connection, operation: Operation, principal: Principal) => {
    connection.inFlight++;
    return start(connection, operation, principal).finally(() => connection.inFlight--);
  };

  const finish = (connection: Connection, operation: Operation) => {
    connection.operations.delete(operation.id);
    operation.unsubscribe?.();
    operation.unsubscribe = null;
  };

  /** A refused credential closes with 4403 (clients reconnect with fresh connection params); anything else 4500. */
  const refuse = (connection: Connection, error: unknown) => {
    if (error instanceof AuthError) close(connection, CloseCode.Forbidden, `Forbidden: ${error.message} (${error.code})`);
    else {
      log.error('graphql-ws authentication failed', error);
      monitor.error('internal');
      close(connection, CloseCode.InternalServerError, 'Internal server error');
    }
  };

  const acknowledge = (connection: Connection, principal: Principal) => {
    connection.principal = principal;
    connection.stopExpiry();
    // Clients reconnect on 4403 and send fresh connection params (e.g. a refreshed JWT).
    connection.stopExpiry = expiryTimer(principal.expiresAt, () => close(connection, CloseCode.Forbidden, 'Forbidden: token expired'));
  };

  const tooMany = (id: string, what: string) => ({
    id,
    type: MessageType.Error,
    payload: [{ message: `Too many ${what} on this connection (the maximum is ${config.maxSubscriptionsPerConnection}).`, extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }],
  });

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
        let principal: Principal;
        try {
          principal = await pipeline.resolvePrincipal(credentialFrom(message.payload));
        } catch (error) {
          monitor.connectionRefused('graphql-ws', error instanceof AuthError ? error.code : 'internal_error');
          return refuse(connection, error);
        }
        if (connection.closed) return;
        connection.stopInitTimer();
        acknowledge(connection, principal);
        const cursor = head();
        send(connection, cursor ? { type: MessageType.ConnectionAck, payload: { cursor } } : { type: MessageType.ConnectionAck });
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
        if (connection.operations.has(message.id)) return close(connection, CloseCode.SubscriberAlreadyExists, `Subscriber for ${message.id} already exists`);
        if (connection.operations.size >= config.maxSubscriptionsPerConnection) return send(connection, tooMany(message.id, 'subscriptions'));
        // Cancelled subscribes still being checked count too: subscribe+complete floods cannot pile up work.
        if (connection.inFlight >= config.maxSubscriptionsPerConnection) return send(connection, tooMany(message.id, 'pending subscribe requests'));
        const operation: Operation = { id: message.id, payload: message.payload, unsubscribe: null };
        connection.operations.set(message.id, operation);
        return run(connection, operation, principal);
      }
      case MessageType.Complete: {
        const operation = connection.operations.get(message.id);
        if (operation) finish(connection, operation);
        return;
      }
      default:
        return close(connection, CloseCode.BadRequest, `Unexpected message of type ${message.type} received`);
    }
  };

  /** A user or token changed: re-resolve the affected principals; refuse the ones no longer valid, regroup the rest. */
  const stopWatching = pipeline.onPermissionChange(async (change) => {
    for (const { holders, principal, error } of await pipeline.recheck(change, connections, (c) => c.principal)) {
      for (const connection of holders) {
        if (!principal) {
          refuse(connection, error);
          continue;
        }
        const before = connection.principal;
        acknowledge(connection, principal);
        if (principal.audienceKey === before?.audienceKey) continue;
        // New audience (another role): every operation is checked and grouped again under the same id.
        for (const operation of [...connection.operations.values()]) {
          finish(connection, operation);
          const again: Operation = { id: operation.id, payload: operation.payload, unsubscribe: null };
          connection.operations.set(again.id, again);
          await run(connection, again, principal);
        }
      }
    }
  });

  return {
    /** A socket that agreed on the subprotocol: the connection-init timer starts now. */
    opened(socket: ProtocolSocket): OpenedConnection {
      const connection: Connection = {
        socket,
        principal: null,
        initReceived: false,
        closed: false,
        operations: new Map(),
        inFlight: 0,
        stopExpiry: () => undefined,
        stopInitTimer: () => undefined,
      };
      connections.add(connection);
      const initTimer = setTimeout(() => {
        if (connection.principal) return;
        monitor.connectionRefused('graphql-ws', 'init_timeout');
        close(connection, CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
      }, config.connectionInitTimeoutMs);
      connection.stopInitTimer = () => clearTimeout(initTimer);

      return {
        message: (data) =>
          handle(connection, data).catch((error: unknown) => {
            log.error('graphql-ws message failed', error);
            monitor.error('internal');
            close(connection, CloseCode.InternalServerError, 'Internal server error');
          }),
        closed() {
          if (connection.closed) return;
          connection.closed = true;
          connection.stopInitTimer();
          connection.stopExpiry();
          for (const operation of [...connection.operations.values()]) finish(connection, operation);
          connections.delete(connection);
          if (connection.principal) monitor.logEvent('disconnect', { transport: 'graphql-ws', audience: connection.principal.audienceKey });
        },
      };
    },
    stats() {
      let subscriptions = 0;
      let open = 0;
      for (const connection of connections) {
        if (connection.principal) open++;
        subscriptions += connection.operations.size;
      }
      return { connections: open, subscriptions };
    },
    /** A connection refused before the protocol began (subprotocol, connection limits), for the operators' counters. */
    refused(code: string) {
      monitor.connectionRefused('graphql-ws', code);
    },
    /** Closes every connection (server shutdown). */
    closeAll(code: number, reason: string) {
      for (const connection of connections) close(connection, code, reason);
    },
    dispose() {
      stopWatching();
      untrackBacklog();
    },
  };
};

export type GraphqlWsProtocol = ReturnType<typeof createGraphqlWsProtocol>;
