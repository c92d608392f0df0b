/** Max-age jitter: a per-key share of the max age, so a cohort built on one night does not go stale on one night. Pure. */

import { keyHash } from "./keys.js";

/** Default share of the max age a key's own max age may differ by: ±15 % (7 days: 5.95 to 8.05 days). */
export const DEFAULT_MAX_AGE_JITTER = 0.15;

/**
 * The max age of `key`: `maxAgeMs` times a factor in [1 - jitter, 1 + jitter], spread evenly over keys and the
 * same every night for a key (a hash of the key). Jitter 0 (or max age 0) gives `maxAgeMs` itself.
 */
export function maxAgeFor(key: string, maxAgeMs: number, jitter = DEFAULT_MAX_AGE_JITTER): number {
  const share = Math.min(Math.max(jitter, 0), 0.9);
  if (share === 0 || maxAgeMs <= 0) return maxAgeMs;
  const u = keyHash(key) / 0x1_0000_0000; // [0, 1)
  return Math.round(maxAgeMs * (1 + share * (2 * u - 1)));
}
