/** RFC 6455: a close frame's reason is at most 123 bytes of UTF-8 (`ws.close` throws beyond that). */
const MAX_REASON_BYTES = 123;
const ELLIPSIS = '...';

/**
 * A close reason that fits the limit in bytes, cut on a character boundary (never half a multibyte character),
 * with `...` marking the cut.
 */
export const closeReason = (text: string): string => {
  if (Buffer.byteLength(text) <= MAX_REASON_BYTES) return text;
  const budget = MAX_REASON_BYTES - ELLIPSIS.length;
  let cut = '';
  let bytes = 0;
  for (const character of text) {
    const size = Buffer.byteLength(character);
    if (bytes + size > budget) break;
    cut += character;
    bytes += size;
  }
  return cut + ELLIPSIS;
};
