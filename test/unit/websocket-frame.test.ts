import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { idleRawSocketOf, sendTextFrame, textFrame } from '../../src/transports/websocket-frame';

/** Frames written by hand must be what a real WebSocket client decodes, at every length encoding. */
describe('sendTextFrame (real ws server and client)', () => {
  let server: WebSocketServer;
  let serverSide: WebSocket;
  let client: WebSocket;
  const received: { data: string; isBinary: boolean }[] = [];

  beforeAll(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const connected = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
    client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    client.on('message', (data, isBinary) => received.push({ data: String(data), isBinary }));
    serverSide = await connected;
    await new Promise((resolve) => client.once('open', resolve));
  });
  afterAll(() => {
    client.terminate();
    server.close();
  });

  it.each([0, 1, 122, 123, 65531, 65532, 200_000])('a %i-byte body arrives as one text message', async (size) => {
    const body = Buffer.from('x'.repeat(size));
    const before = received.length;
    sendTextFrame(serverSide, Buffer.from('{"a":"'), body, Buffer.from('"}'));
    const deadline = Date.now() + 2000;
    while (received.length === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(received.at(-1)).toEqual({ data: `{"a":"${'x'.repeat(size)}"}`, isBinary: false });
  });

  it('keeps order with frames ws itself sends', async () => {
    const before = received.length;
    serverSide.send('first');
    sendTextFrame(serverSide, Buffer.from('sec'), Buffer.from('on'), Buffer.from('d'));
    serverSide.send('third');
    const deadline = Date.now() + 2000;
    while (received.length < before + 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(received.slice(before).map((r) => r.data)).toEqual(['first', 'second', 'third']);
  });

  it('textFrame joins any number of parts into one frame; several frames in one buffer arrive as separate messages', async () => {
    const before = received.length;
    const raw = idleRawSocketOf(serverSide);
    expect(raw).not.toBeNull();
    raw!.write(Buffer.concat([textFrame(Buffer.from('4'), Buffer.from('2["a"]')), textFrame(), textFrame(Buffer.from('x'.repeat(300)))]));
    const deadline = Date.now() + 2000;
    while (received.length < before + 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(received.slice(before).map((r) => r.data)).toEqual(['42["a"]', '', 'x'.repeat(300)]);
  });

  it('idleRawSocketOf refuses a socket that is closing (a frame after the close frame would break the protocol)', async () => {
    const connected = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
    const other = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const side = await connected;
    await new Promise((resolve) => other.once('open', resolve));
    expect(idleRawSocketOf(side)).not.toBeNull();
    side.close();
    expect(idleRawSocketOf(side)).toBeNull();
    expect(idleRawSocketOf(undefined)).toBeNull();
    other.terminate();
  });
});
