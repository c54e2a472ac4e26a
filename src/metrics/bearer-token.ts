import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Whether an `Authorization` header carries `Bearer <expected>`. Compared in constant time over SHA-256 digests,
 * so neither the token's content nor its length leaks through response timing.
 */
export const hasBearerToken = (authorization: string | undefined, expected: string): boolean => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return timingSafeEqual(digest(match?.[1] ?? ''), digest(expected)) && match !== null;
};
