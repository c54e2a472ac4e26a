import { createClient } from 'redis';
import type { BusListener, EventBus } from './event-bus';
import { busMessageProblem } from '../events/validate-bus-message';
import type { BusMessage } from '../events/change-event';

const CONNECT_TIMEOUT_MS = 5000;

/**
 * Multi-node bus over Redis pub/sub: every node publishes its captured events on one channel and delivers
 * what it receives (its own events included) to its local transports. Fails the boot if Redis cannot be
 * reached, instead of starting a node that silently misses other nodes' events.
 */
export const createRedisBus = async (options: { url: string; channel: string; onError: (error: unknown) => void }): Promise<EventBus> => {
  const { url, channel, onError } = options;
  const publisher = createClient({
    url,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5000) },
  });
  const subscriber = publisher.duplicate();
  publisher.on('error', onError);
  subscriber.on('error', onError);

  const listeners = new Set<BusListener>();
  const connect = Promise.all([publisher.connect(), subscriber.connect()]);
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`[realtime] cannot reach Redis at ${url.replace(/\/\/[^@/]*@/, '//***@')} (bus.url)`)), CONNECT_TIMEOUT_MS).unref(),
  );
  try {
    await Promise.race([connect, timeout]);
  } catch (error) {
    publisher.destroy();
    subscriber.destroy();
    throw error;
  }

  await subscriber.subscribe(channel, (raw: string) => {
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return onError(new Error(`ignored a message that is not JSON on Redis channel ${channel}`));
    }
    const problem = busMessageProblem(message);
    if (problem) return onError(new Error(`ignored a malformed message on Redis channel ${channel} (${problem})`));
    for (const listener of listeners) {
      try {
        listener(message as BusMessage);
      } catch (error) {
        onError(error);
      }
    }
  });

  return {
    async publish(message) {
      await publisher.publish(channel, JSON.stringify(message));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      await subscriber.unsubscribe(channel).catch(onError);
      subscriber.destroy();
      publisher.destroy();
    },
  };
};
