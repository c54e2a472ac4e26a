/**
 * Removes blocklisted keys at any depth (exact key match, ignoring case). Runs after Strapi's sanitizer, and
 * alone on `raw()` emits, so a `password` that slips into custom data still never leaves.
 */
export const createSensitiveFieldFilter = (fields: readonly string[]) => {
  const blocked = new Set(fields.map((field) => field.toLowerCase()));

  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (!value || typeof value !== 'object' || value instanceof Date || Buffer.isBuffer(value)) return value;
    const result: Record<string, unknown> = {};
    for (const [key, nested] of Object.entries(value)) {
      if (!blocked.has(key.toLowerCase())) result[key] = strip(nested);
    }
    return result;
  };
  return strip;
};
