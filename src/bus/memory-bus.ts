import type { BusListener, EventBus } from './event-bus';
import type { BusMessage } from '../events/change-event';

/** Single-node bus. Delivery is deferred to a microtask so a publisher never runs subscriber code inline. */
export const createMemoryBus = (onListenerError: (error: unknown) => void): EventBus => {
  const listeners = new Set<BusListener>();

  return {
    async publish(message: BusMessage) {
      await Promise.resolve();
      for (const listener of listeners) {
        try {
          listener(message);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
};
