import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKey } from '../index.js';

/** The user an unauthenticated service runs as (REMEMBR_API_KEYS unset), the same as the REST API's. */
export const LOCAL_USER = 'local';

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest();

/**
 * The user a key belongs to, compared as SHA-256 digests in constant time (as the REST API does), or undefined.
 * With no keys configured every caller is the local user.
 */
export function userForKey(apiKeys: readonly ApiKey[], key: string | undefined): string | undefined {
  if (apiKeys.length === 0) return LOCAL_USER;
  if (key === undefined || key.length === 0) return undefined;
  const presented = digest(key);
  let match: string | undefined;
  for (const entry of apiKeys) {
    if (timingSafeEqual(digest(entry.key), presented) && match === undefined) match = entry.userId;
  }
  return match;
}
