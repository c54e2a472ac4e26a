import type { Log } from '../../log';

/** At most one warning this often, not one per broadcast: a busy node makes thousands while Redis is away. */
const QUIET_MS = 10_000;

type Publisher = Record<string, unknown>;

/**
 * `@socket.io/redis-adapter`, which plugin-io's docs attach in `hooks.init`, sends every broadcast that leaves this
 * node with `pubClient.publish()` (`sPublish` when sharded) and drops the promise. While Redis is unreachable each
 * one rejects unhandled (`read ECONNRESET`, `connect ECONNREFUSED`), and an unhandled rejection ends a Node process by
 * default: `strapi.$io.raw()` during a Redis restart would take Strapi down. The client's publish methods are wrapped
 * so a failure is logged (at most every 10 s); the broadcast still reaches this node's own sockets, as the adapter already does. Adapters
 * without a `pubClient` (the in-memory one, others) are left alone. Returns whether it guarded one.
 */
export const guardAdapterPublishes = (adapter: unknown, log: Log): boolean => {
  const client = (adapter as { pubClient?: unknown } | null)?.pubClient;
  if (!client || typeof client !== 'object') return false;
  const publisher = client as Publisher;
  let lastWarning = -Infinity;
  const report = (error: unknown) => {
    const now = Date.now();
    if (now - lastWarning < QUIET_MS) return;
    lastWarning = now;
    log.warn('a Socket.IO broadcast to other nodes failed (is Redis reachable?); this node\'s sockets still got it', error);
  };
  let guarded = false;
  for (const name of ['publish', 'sPublish']) {
    const original = publisher[name];
    if (typeof original !== 'function') continue;
    try {
      publisher[name] = function guardedPublish(this: unknown, ...args: unknown[]) {
        const result: unknown = original.apply(this, args);
        if (result && typeof (result as Promise<unknown>).catch === 'function') (result as Promise<unknown>).catch(report);
        return result;
      };
      guarded = true;
    } catch {
      // A client that cannot be changed (frozen, a read-only property) stays as it is: never fail the boot for this.
      log.warn(`could not guard the Socket.IO adapter's ${name}(): its failures while Redis is unreachable stay unhandled`);
    }
  }
  return guarded;
};
