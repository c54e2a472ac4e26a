import type { RateLimitConfig } from '../../config/types';
import type { RealtimeSocket } from './types';

/** A socket that sends this many times its allowance within one window is disconnected. */
const DISCONNECT_FACTOR = 5;
export const RATE_LIMIT_ERROR = 'Rate limit exceeded';

/**
 * Per-socket fixed-window limit on client-emitted events. Over the limit an event is dropped: its ack (if any)
 * gets `{ success: false, error: 'Rate limit exceeded' }` and the socket one `error` event per window
 * (`{ code: 'RATE_LIMITED', message }`); a socket that keeps flooding is disconnected. Other sockets are unaffected.
 * Built once per transport; each socket then holds one small middleware closure (its socket and its window).
 */
export const createRateLimit =
  ({ points, windowMs }: RateLimitConfig, onBreach: (socket: RealtimeSocket, kind: 'limited' | 'disconnected') => void) =>
  (socket: RealtimeSocket) => {
    let windowStart = Date.now();
    let count = 0;
    let warned = false;

    socket.use((packet, next) => {
      const now = Date.now();
      if (now - windowStart >= windowMs) {
        windowStart = now;
        count = 0;
        warned = false;
      }
      count++;
      if (count <= points) return next();

      const ack = packet[packet.length - 1];
      if (typeof ack === 'function') ack({ success: false, error: RATE_LIMIT_ERROR });
      if (count >= points * DISCONNECT_FACTOR) {
        socket.emit('error', { code: 'RATE_LIMITED', message: `${RATE_LIMIT_ERROR}: too many events, disconnected` });
        socket.disconnect(true);
        onBreach(socket, 'disconnected');
        return;
      }
      if (!warned) {
        warned = true;
        socket.emit('error', {
          code: 'RATE_LIMITED',
          message: `${RATE_LIMIT_ERROR}: at most ${points} events per ${windowMs} ms, further events are dropped`,
        });
        onBreach(socket, 'limited');
      }
      // `next` is not called: the event is dropped.
    });
  };
