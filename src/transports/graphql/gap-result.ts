import type { GapReason } from '../../events/log-record';

const EXPLANATION: Record<GapReason, string> = {
  expired: 'the cursor is older than what the server keeps',
  'unknown-log': 'the cursor is from before a server restart or from another event log',
  'invalid-cursor': 'the cursor is not one the server issued',
  'buffer-overflow': 'events were dropped while the server could not reach Redis',
  'missed-by-node': 'the server could not read part of the event stream',
  overloaded: 'the server fell too far behind delivering and skipped events',
};

/**
 * The gap signal, a GraphQL result (sent as `next`, the subscription stays open): no `data`, an error whose code
 * is `EVENTS_MISSED`, and the cursor to resume from once the client has refetched what it shows.
 */
export const gapResult = (reason: GapReason, resumeFrom: string | null): Buffer =>
  Buffer.from(
    JSON.stringify({
      errors: [
        {
          message: `Some events could not be delivered (${EXPLANATION[reason]}): refetch what you show.`,
          extensions: { code: 'EVENTS_MISSED', reason },
        },
      ],
      extensions: { cursor: resumeFrom, gap: { reason } },
    }),
  );
