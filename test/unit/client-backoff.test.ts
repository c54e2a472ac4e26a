import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../client/backoff';
import { RealtimeConnectionError, TokenError, toSinkError } from '../../client/connection-error';

describe('client reconnection backoff', () => {
  it('doubles from the initial delay up to the cap, half of it random', () => {
    const low = (retries: number) => backoffDelay(retries, { initialDelayMs: 1000, maxDelayMs: 30_000 }, () => 0);
    const high = (retries: number) => backoffDelay(retries, { initialDelayMs: 1000, maxDelayMs: 30_000 }, () => 1);
    expect([0, 1, 2, 3, 4, 5, 6].map(low)).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000]);
    expect([0, 1, 2, 3, 4, 5, 6].map(high)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    expect(high(10_000)).toBe(30_000);
  });
});

describe('client errors', () => {
  it('keeps GraphQL errors as arrays and names connection problems', () => {
    const graphqlErrors = [{ message: 'Cannot query field "nope" on type "Article".' }];
    expect(toSinkError(graphqlErrors, 'websocket')).toBe(graphqlErrors);

    const forbidden = toSinkError({ code: 4403, reason: 'Forbidden: token expired' }, 'websocket') as RealtimeConnectionError;
    expect(forbidden).toBeInstanceOf(RealtimeConnectionError);
    expect([forbidden.kind, forbidden.code, forbidden.message]).toEqual(['forbidden', 4403, 'WebSocket closed with 4403: Forbidden: token expired']);

    const lost = toSinkError({ code: 1006, reason: '' }, 'websocket') as RealtimeConnectionError;
    expect([lost.kind, lost.code]).toEqual(['connection', 1006]);

    const token = toSinkError(new TokenError('refresh failed', { cause: new Error('refresh failed') }), 'sse') as RealtimeConnectionError;
    expect([token.kind, token.transport, token.message]).toEqual(['token', 'sse', 'getToken failed: refresh failed']);
  });
});
