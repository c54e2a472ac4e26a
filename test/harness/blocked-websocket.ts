/**
 * A WebSocket the environment refuses to create (a CSP, mixed content, a proxy that blocks upgrades): browsers throw
 * from the constructor. The realtime client then continues over SSE.
 */
export class BlockedWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  constructor() {
    throw new Error('Refused to connect: blocked by Content-Security-Policy');
  }
}
