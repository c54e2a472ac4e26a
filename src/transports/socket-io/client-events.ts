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
 * answered with a validation error instead of being mistaken for a payload. Never throws.
 */
const answered =
  (log: Log, name: string, handle: (args: unknown[]) => unknown) =>
  (...args: unknown[]) => {
    const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (answer: unknown) => void) : null;
    Promise.resolve()
      .then(() => handle(args))
      .then(
        (answer) => ack?.(answer),
        (error) => {
          log.error(`socket.io "${name}" failed`, error);
          ack?.({ success: false, error: 'Internal server error' });
        },
      )
      .catch((error: unknown) => log.error(`socket.io "${name}" ack failed`, error));
  };

/** plugin-io's entity subscription events, then the config `events` (except `connection`, run by the caller). */
export const registerClientEvents = (options: {
  socket: RealtimeSocket;
  entities: EntitySubscriptions;
  events: readonly SocketEventConfig[];
  context: SocketEventContext;
  log: Log;
}) => {
  const { socket, entities, events, context, log } = options;
  socket.on('subscribe-entity', answered(log, 'subscribe-entity', ([input]) => entities.subscribe(socket, input)));
  socket.on('unsubscribe-entity', answered(log, 'unsubscribe-entity', ([input]) => entities.unsubscribe(socket, input)));
  socket.on('get-entity-subscriptions', answered(log, 'get-entity-subscriptions', () => entities.list(socket)));

  for (const { name, handler } of events) {
    if (name === 'connection') continue;
    // `disconnect` is a reserved Socket.IO event: its handler gets (ctx, socket, reason), as in plugin-io.
    socket.on(name, (...args: unknown[]) => runUserHandler(log, name, handler, context, socket, args));
  }
};
