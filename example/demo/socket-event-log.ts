import { io, type Socket } from 'socket.io-client';
import type { ServerToClientEvents } from '../../generated/socket-events';

/** Entries the log keeps (newest first). */
const LOG_SIZE = 30;

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/**
 * The raw Socket.IO events, received the way a `@strapi-community/plugin-io` front end receives them: a bare
 * socket.io-client, no token (the Public role), every event logged with its payload as it arrived.
 */
export const startSocketEventLog = (options: {
  origin: string;
  log: HTMLOListElement;
  onState: (state: ConnectionState, detail?: string) => void;
}): (() => void) => {
  const socket: Socket<ServerToClientEvents> = io(options.origin);
  options.onState('connecting');
  socket.on('connect', () => {
    options.onState('connected', socket.io.engine.transport.name);
    // Socket.IO starts with HTTP long-polling and moves to a WebSocket when it can.
    socket.io.engine.once('upgrade', (transport: { name: string }) => options.onState('connected', transport.name));
  });
  socket.on('disconnect', (reason) => options.onState('disconnected', reason));
  socket.on('connect_error', (error) => options.onState('disconnected', error.message));
  socket.onAny((event: string, payload: unknown) => {
    // The plugin's position marker (what socket.io-client resumes from after a reconnection) is not an event.
    if (event === 'realtime:cursor') return;
    const entry = document.createElement('li');
    const name = document.createElement('strong');
    name.textContent = event;
    const time = document.createElement('time');
    time.textContent = new Date().toLocaleTimeString();
    const body = document.createElement('pre');
    body.textContent = JSON.stringify(payload, null, 2);
    entry.append(name, time, body);
    options.log.prepend(entry);
    while (options.log.children.length > LOG_SIZE) options.log.lastElementChild?.remove();
  });
  return () => void socket.disconnect();
};
