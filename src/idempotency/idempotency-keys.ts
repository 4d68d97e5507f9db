import { createHash } from 'node:crypto';
import { assertId, hashTag, makeKey } from '../keys.js';

/**
 * `remembr:idem:{<user>}:<digest of the key>`: one record per user and key. It carries the user's hash tag, the
 * tag of every key a user owns (sessions, windows, task results), so the record sits in the same Redis Cluster
 * slot as whatever the write touches and one script can change both. The client's key is digested, so any
 * printable string may be a key without ever becoming part of a key name or a pattern.
 */
export function idempotencyRecordKey(userId: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 40);
  return makeKey('idem', hashTag(assertId(userId, 'user_id')), digest);
}
