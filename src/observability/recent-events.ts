import type { ChangeEvent } from '../events/change-event';
import { perTransport, type TransportName } from './vocabulary';

/**
 * One processed change as the admin page lists it: what happened to which document, and how far it reached.
 * Identifiers and counts only: never field values (the entry is not kept).
 */
export interface RecentEvent {
  id: string;
  uid: string;
  action: ChangeEvent['action'];
  documentId: string;
  locale: string | null;
  status: ChangeEvent['status'];
  /** Capture time (ISO), from the node that captured it. */
  at: string;
  /** Distinct audiences (roles, API tokens) it was delivered to, over every transport. */
  audiences: number;
  /** Messages written for it: one per subscriber reached (a Socket.IO broadcast counts its room's sockets). */
  subscribers: number;
  subscribersByTransport: Record<TransportName, number>;
}

interface Tracked {
  event: Omit<RecentEvent, 'audiences' | 'subscribers' | 'subscribersByTransport'>;
  audiences: Set<string>;
  subscribersByTransport: Record<TransportName, number>;
}

/**
 * The last `limit` changes this node processed, with their reach filled in while transports deliver them.
 * Bounded: the oldest entry goes when a new one comes.
 */
export const createRecentEvents = (limit: number) => {
  const tracked = new Map<string, Tracked>();

  return {
    add(event: ChangeEvent) {
      if (limit === 0 || tracked.has(event.id)) return;
      const { id, uid, action, documentId, locale, status, at } = event;
      tracked.set(id, { event: { id, uid, action, documentId, locale, status, at }, audiences: new Set(), subscribersByTransport: perTransport(() => 0) });
      if (tracked.size > limit) tracked.delete(tracked.keys().next().value!);
    },
    /** A delivery of event `id` to `count` subscribers of one audience; ignored once the event left the list. */
    reached(id: string, transport: TransportName, audienceKey: string, count: number) {
      const entry = tracked.get(id);
      if (!entry) return;
      entry.audiences.add(audienceKey);
      entry.subscribersByTransport[transport] += count;
    },
    /** Newest first, at most `max` entries. */
    list(max = limit): RecentEvent[] {
      const entries = [...tracked.values()].slice(-max).reverse();
      return entries.map(({ event, audiences, subscribersByTransport }) => ({
        ...event,
        audiences: audiences.size,
        subscribers: Object.values(subscribersByTransport).reduce((sum, n) => sum + n, 0),
        subscribersByTransport: { ...subscribersByTransport },
      }));
    },
  };
};

export type RecentEvents = ReturnType<typeof createRecentEvents>;
