import type { WirePayload } from './request.js';

/** Why the server could not bring a subscription up to date: the app must refetch what it shows. */
export type GapReason = 'expired' | 'unknown-log' | 'invalid-cursor' | 'buffer-overflow' | 'missed-by-node' | 'overloaded';

/** A gap signal, as `onGap` receives it. */
export interface RealtimeGap {
  reason: GapReason;
  /** Where the subscription continues from (the client resumes from it by itself). */
  cursor: string | null;
  /** The operation that was affected (its `operationName`, when it has one). */
  operationName: string | null;
}

type ResultLike = { extensions?: Record<string, unknown> | null; errors?: unknown };

/**
 * The cursor of one subscription, kept in its wire payload (`extensions.cursor`): graphql-ws and graphql-sse send
 * the payload object again when they resubscribe after a reconnection, so the server replays exactly what was
 * missed (or answers with a gap signal).
 */
export const resumableSubscription = (payload: WirePayload) => {
  const extensions: Record<string, unknown> = { ...payload.extensions };
  const wire: WirePayload = { ...payload, extensions };
  return {
    wire,
    /** The position a result carries, if any; a gap result returns its signal. */
    observe(result: ResultLike): RealtimeGap | null {
      const cursor = result.extensions?.cursor;
      if (typeof cursor === 'string') extensions.cursor = cursor;
      const gap = result.extensions?.gap as { reason?: GapReason } | undefined;
      if (!gap?.reason) return null;
      return { reason: gap.reason, cursor: typeof cursor === 'string' ? cursor : null, operationName: payload.operationName ?? null };
    },
    /** A position to start from when the subscription has none yet (the head when the connection opened). */
    startFrom(cursor: unknown) {
      if (typeof cursor === 'string' && extensions.cursor === undefined) extensions.cursor = cursor;
    },
    get cursor() {
      return typeof extensions.cursor === 'string' ? extensions.cursor : null;
    },
  };
};

export type ResumableSubscription = ReturnType<typeof resumableSubscription>;
