import WebSocket from 'ws';
import type { ExampleApp } from './example-app';
import { waitFor } from './wait';

export interface RawSocket {
  ws: WebSocket;
  /** Every message received, parsed. */
  messages: any[];
  close: { code: number; reason: string } | null;
  send(message: unknown): void;
  sendText(text: string): void;
  /** Sends `connection_init` and waits for the ack. */
  init(payload?: Record<string, unknown>): Promise<void>;
  waitForMessage(predicate: (message: any) => boolean, description: string, timeoutMs?: number): Promise<any>;
  waitForClose(timeoutMs?: number): Promise<{ code: number; reason: string }>;
  dispose(): void;
}

/**
 * A graphql-transport-ws peer spoken by hand, for what no well-behaved client library sends: frames out of order,
 * reused ids, floods, garbage.
 */
export const openRawSocket = async (app: Pick<ExampleApp, 'wsUrl'>, protocol = 'graphql-transport-ws'): Promise<RawSocket> => {
  const ws = new WebSocket(`${app.wsUrl}/graphql`, protocol);
  const socket: RawSocket = {
    ws,
    messages: [],
    close: null,
    send: (message) => ws.send(JSON.stringify(message)),
    sendText: (text) => ws.send(text),
    async init(payload = {}) {
      socket.send({ type: 'connection_init', payload });
      await socket.waitForMessage((m) => m.type === 'connection_ack', 'connection_ack');
    },
    waitForMessage: (predicate, description, timeoutMs) => waitFor(() => socket.messages.find(predicate), description, timeoutMs),
    waitForClose: (timeoutMs) => waitFor(() => socket.close, 'the socket to close', timeoutMs),
    dispose: () => ws.terminate(),
  };
  ws.on('message', (data) => socket.messages.push(JSON.parse(String(data))));
  ws.on('close', (code, reason) => (socket.close = { code, reason: String(reason) }));
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_request, response) => reject(Object.assign(new Error(`upgrade refused: ${response.statusCode}`), { status: response.statusCode })));
    ws.once('error', reject);
  });
  return socket;
};
