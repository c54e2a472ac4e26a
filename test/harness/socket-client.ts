import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { ExampleApp } from './example-app';
import { settle } from './wait';

export type ClientOptions = Partial<ManagerOptions & SocketOptions>;
export type ConnectError = Error & { data?: { code?: string; message?: string } };

const open = new Set<Socket>();

/** A socket.io-client for the app; websocket only and no reconnection unless the options say otherwise. */
export const createClient = (app: Pick<ExampleApp, 'httpUrl'>, options: ClientOptions = {}): Socket => {
  const socket = io(app.httpUrl, { transports: ['websocket'], reconnection: false, forceNew: true, ...options });
  open.add(socket);
  return socket;
};

/** Connects and resolves once connected; rejects with the connect_error. */
export const connectClient = (app: Pick<ExampleApp, 'httpUrl'>, options: ClientOptions = {}, timeoutMs = 5000): Promise<Socket> => {
  const socket = createClient(app, options);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket.io connect timed out')), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
  });
};

/** Expects the handshake to be refused; resolves with the connect_error (message + data). */
export const connectRefused = async (app: Pick<ExampleApp, 'httpUrl'>, options: ClientOptions = {}): Promise<ConnectError> => {
  try {
    const socket = await connectClient(app, options);
    socket.close();
  } catch (error) {
    return error as ConnectError;
  }
  throw new Error('expected the connection to be refused, but it was accepted');
};

/** The next `event` on the socket (its first argument). */
export const nextEvent = <T = any>(socket: Socket, event: string, timeoutMs = 5000): Promise<T> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for "${event}"`));
    }, timeoutMs);
    const listener = (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    };
    socket.once(event, listener);
  });

/** Records every `event` from now on (first argument of each). */
export const collect = <T = any>(socket: Socket, event: string) => {
  const items: T[] = [];
  const listener = (payload: T) => items.push(payload);
  socket.on(event, listener);
  return {
    items,
    stop: () => socket.off(event, listener),
    /** Waits until `count` items arrived. */
    async atLeast(count: number, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (items.length < count) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} "${event}" (got ${items.length})`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return items;
    },
  };
};

/** Asserts that no `event` arrives during a quiet period. */
export const expectNone = async (socket: Socket, event: string, quietMs?: number) => {
  const recorded = collect(socket, event);
  await settle(quietMs);
  recorded.stop();
  if (recorded.items.length > 0) throw new Error(`expected no "${event}", got ${JSON.stringify(recorded.items)}`);
};

/** Emits with an ack and resolves with the ack's answer. */
export const emitWithAck = <T = any>(socket: Socket, event: string, ...args: unknown[]): Promise<T> =>
  socket.timeout(5000).emitWithAck(event, ...args) as Promise<T>;

/** Resolves with the disconnect reason. */
export const nextDisconnect = (socket: Socket, timeoutMs = 5000): Promise<string> =>
  socket.connected || socket.active ? nextEvent<string>(socket, 'disconnect', timeoutMs) : Promise.resolve('already disconnected');

/** Closes every client the helpers opened (afterEach/afterAll). */
export const closeAllClients = () => {
  for (const socket of open) socket.close();
  open.clear();
};
