import { describe, expect, it } from 'vitest';
import { hasBearerToken } from '../../src/metrics/bearer-token';

describe('metrics bearer token check', () => {
  const token = 'scrape-token-0123456789';
  it('accepts exactly `Bearer <token>` (scheme in any case)', () => {
    expect(hasBearerToken(`Bearer ${token}`, token)).toBe(true);
    expect(hasBearerToken(`bearer ${token}`, token)).toBe(true);
  });
  it('refuses anything else', () => {
    for (const header of [undefined, '', token, `Bearer ${token}x`, `Bearer ${token.slice(1)}`, `Basic ${token}`, `Bearer ${token} extra`, 'Bearer ']) {
      expect(hasBearerToken(header, token), String(header)).toBe(false);
    }
  });
});
