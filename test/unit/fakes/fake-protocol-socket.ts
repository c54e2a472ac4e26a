import type { OpenedConnection, ProtocolSocket } from '../../../src/transports/graphql/graphql-ws-protocol';

export type WireMessage = { id?: string; type: string; payload?: any };

export interface FakeClient {
  readonly socket: ProtocolSocket & { bufferedAmount: number };
  /** Every message the server sent, parsed, in order. */
  readonly messages: WireMessage[];
  /** How the server closed the socket, once it did. */
  readonly closed: { code: number; reason: string } | null;
  /** Sends a frame (an object is serialized) and resolves once the server handled it. */
  send(message: object | string): Promise<void>;
  /** The client goes away (the server sees the socket close). */
  disconnect(): void;
  /** Messages of one operation. */
  of(id: string): WireMessage[];
}

/**
 * A socket of the graphql-ws protocol core without a network: what the `ws` adapter does, in memory. A close by
 * the server ends the socket and, as `ws` does, reports it closed on the next tick.
 */
export const openFakeClient = (open: (socket: ProtocolSocket) => OpenedConnection): FakeClient => {
  const messages: WireMessage[] = [];
  let closed: { code: number; reason: string } | null = null;
  let opened: OpenedConnection | null = null;
  let isOpen = true;
  const socket = {
    bufferedAmount: 0,
    get open() {
      return isOpen;
    },
    send(text: string) {
      if (!isOpen) throw new Error('send on a closed socket');
      messages.push(JSON.parse(text) as WireMessage);
    },
    sendParts(head: Buffer, body: Buffer, tail: Buffer) {
      if (!isOpen) throw new Error('send on a closed socket');
      messages.push(JSON.parse(Buffer.concat([head, body, tail]).toString()) as WireMessage);
    },
    close(code: number, reason: string) {
      if (!isOpen) return;
      if (Buffer.byteLength(reason) > 123) throw new Error('close reason over 123 bytes');
      isOpen = false;
      closed = { code, reason };
      queueMicrotask(() => opened?.closed());
    },
  };
  const connection = open(socket);
  opened = connection;
  return {
    socket,
    messages,
    get closed() {
      return closed;
    },
    send: (message) => connection.message(typeof message === 'string' ? message : JSON.stringify(message)),
    disconnect() {
      isOpen = false;
      connection.closed();
    },
    of: (id) => messages.filter((message) => message.id === id),
  };
};
