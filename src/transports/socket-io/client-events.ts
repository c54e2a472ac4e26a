import type { SocketEventConfig } from '../../config/types';
import type { EntitySubscriptions } from './entity-subscriptions';
import type { RealtimeSocket, SocketEventContext } from './types';

import type { Log } from '../../log';

/**
 * Runs a user handler (config `events`, `connection`, `disconnect`): a throw or a rejected promise is logged,
 * never allowed to crash the process or to stop the socket's other handlers.
 */
export const runUserHandler = (
  log: Log,
  name: string,
  handler: SocketEventConfig['handler'],
  context: SocketEventContext,
  socket: RealtimeSocket,
  args: unknown[],
) => {
  try {
    const result = handler(context, socket, ...args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(undefined, (error: unknown) => log.error(`socket.io "${name}" handler failed`, error));
    }
  } catch (error) {
    log.error(`socket.io "${name}" handler failed`, error);
  }
};

/**
 * A client event answered through its ack (when the client passed one; plugin-io's acks are optional). The
 * last argument is the ack only if it is a function, so `emit('subscribe-entity', cb)` (no payload) is
 * answered with a validation error instead of being mistaken for a payload. Never throws. The listener is a
 * plain function Socket.IO calls with the socket as `this`: one function per transport, not one per socket.
 */
const answered = (log: Log, name: string, handle: (socket: RealtimeSocket, args: unknown[]) => unknown) =>
  function (this: RealtimeSocket, ...args: unknown[]) {
    const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (answer: unknown) => void) : null;
    Promise.resolve()
      .then(() => handle(this, args))
      .then(
        (answer) => ack?.(answer),
        (error) => {
          log.error(`socket.io "${name}" failed`, error);
          ack?.({ success: false, error: 'Internal server error' });
        },
      )
      .catch((error: unknown) => log.error(`socket.io "${name}" ack failed`, error));
  };

/**
 * plugin-io's entity subscription events, then the config `events` (except `connection`, run by the caller).
 * The listeners are built once per transport and shared by every socket (Socket.IO calls them with the socket
 * as `this`), so an idle connection holds no closure of its own for them. Returns the function that registers
 * them on a socket.
 */
export const createClientEvents = (options: {
  entities: EntitySubscriptions;
  events: readonly SocketEventConfig[];
  context: SocketEventContext;
  log: Log;
}) => {
  const { entities, events, context, log } = options;
  const listeners: [string, (this: RealtimeSocket, ...args: unknown[]) => void][] = [
    ['subscribe-entity', answered(log, 'subscribe-entity', (socket, [input]) => entities.subscribe(socket, input))],
    ['unsubscribe-entity', answered(log, 'unsubscribe-entity', (socket, [input]) => entities.unsubscribe(socket, input))],
    ['get-entity-subscriptions', answered(log, 'get-entity-subscriptions', (socket) => entities.list(socket))],
  ];
  for (const { name, handler } of events) {
    if (name === 'connection') continue;
    // `disconnect` is a reserved Socket.IO event: its handler gets (ctx, socket, reason), as in plugin-io.
    listeners.push([
      name,
      function (this: RealtimeSocket, ...args: unknown[]) {
        runUserHandler(log, name, handler, context, this, args);
      },
    ]);
  }
  return (socket: RealtimeSocket) => {
    for (const [name, listener] of listeners) socket.on(name, listener);
  };
};
