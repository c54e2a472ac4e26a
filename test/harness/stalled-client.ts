import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { ExampleApp } from './example-app';
import { waitFor } from './wait';

/** One masked client text frame (RFC 6455 5.3: clients mask everything they send). */
const textFrame = (text: string): Buffer => {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const header = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
  return Buffer.concat([header, mask, masked]);
};

export interface StalledClient {
  dispose(): void;
}

/**
 * A WebSocket client spoken over a bare TCP socket that, once set up, never reads again: the server's writes pile
 * up in the kernel's buffers and then in its own (what a client on a dead network or a frozen tab does). `steps`
 * is the conversation before it stops: for each, the text to send and what the server must have answered
 * (found in the raw bytes) before the next step. (`ws` resumes a paused socket on its own, so it cannot play this.)
 */
export const openStalledClient = async (
  app: Pick<ExampleApp, 'port'>,
  path: string,
  options: { protocol?: string; steps: { send?: string; expect: string }[] },
): Promise<StalledClient> => {
  const socket: Socket = connect(app.port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${app.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
      (options.protocol ? `Sec-WebSocket-Protocol: ${options.protocol}\r\n` : '') +
      '\r\n',
  );
  await waitFor(() => received.includes('101 Switching Protocols'), 'the WebSocket upgrade');
  for (const step of options.steps) {
    if (step.send) socket.write(textFrame(step.send));
    await waitFor(() => received.includes(step.expect), `the server to answer ${step.expect}`);
  }
  socket.removeAllListeners('data');
  socket.pause();
  // (It cannot tell when the server closes: the end of the stream waits behind what it does not read.)
  return { dispose: () => socket.destroy() };
};

/** A Socket.IO client (main namespace) that stops reading once connected. */
export const stalledSocketIo = (app: Pick<ExampleApp, 'port'>) =>
  openStalledClient(app, '/socket.io/?EIO=4&transport=websocket', { steps: [{ expect: '0{' }, { send: '40', expect: '40{' }] });
