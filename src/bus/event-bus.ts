import type { BusMessage } from '../events/change-event';

export type BusListener = (message: BusMessage) => void;

/**
 * Carries messages to every node (this one included). Implementations must deliver each published
 * message to every subscribed listener exactly once per node, in publish order per node.
 */
export interface EventBus {
  publish(message: BusMessage): Promise<void>;
  /** Returns a disposer that stops delivery to this listener. */
  subscribe(listener: BusListener): () => void;
  close(): Promise<void>;
}
