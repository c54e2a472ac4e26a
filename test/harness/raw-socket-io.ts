import WebSocket from 'ws';
import type { ExampleApp } from './example-app';
import { waitFor } from './wait';

export interface RawSocketIo {
  /** `[eventName, ...args]` of every event received. */
  events: unknown[][];
  closed: boolean;
  dispose(): void;
}

/**
 * A Socket.IO v4 client spoken by hand over a WebSocket (engine.io `0` open, `40` connect, `2`/`3` ping/pong, `42`
 * events): hundreds of them cost the test process little (socket.io-client's managers and timers do).
 */
export const openRawSocketIo = async (app: Pick<ExampleApp, 'wsUrl'>): Promise<RawSocketIo> => {
  const ws = new WebSocket(`${app.wsUrl}/socket.io/?EIO=4&transport=websocket`);
  const client: RawSocketIo = {
    events: [],
    closed: false,
    dispose: () => ws.terminate(),
  };
  let connected = false;
  ws.on('message', (data) => {
    const text = String(data);
    if (text.startsWith('0')) ws.send('40');
    else if (text === '2') ws.send('3');
    else if (text.startsWith('40')) connected = true;
    else if (text.startsWith('42')) client.events.push(JSON.parse(text.slice(2)));
  });
  ws.on('close', () => (client.closed = true));
  ws.on('error', () => undefined);
  await waitFor(() => connected, 'the Socket.IO handshake');
  return client;
};
