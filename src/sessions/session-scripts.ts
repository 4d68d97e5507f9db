import type { MemoryDb } from '../store/memory-db.js';
import { defineScript } from '../store/script.js';
import { applyMergePatch } from './merge-patch.js';
import { OWNED_KEYS_PER_SESSION } from './session-keys.js';

/*
 * The session scripts, each a Lua file beside this one and its JavaScript twin for the memory store. The twins
 * follow the Lua line by line; read the .lua header for what each KEYS/ARGV entry is.
 */

/** ZRANGEBYSCORE min +inf WITHSCORES LIMIT 0 count, flattened as Redis returns it (scores as strings). */
function rangeFrom(scores: Map<string, number> | undefined, min: number, exclusive: boolean, count: number): string[] {
  if (scores === undefined) return [];
  const found = [...scores]
    .filter(([, score]) => (exclusive ? score > min : score >= min))
    .sort(([a, x], [b, y]) => x - y || (a < b ? -1 : a > b ? 1 : 0));
  return (count < 0 ? found : found.slice(0, count)).flatMap(([member, score]) => [member, String(score)]);
}

/** ZREMRANGEBYSCORE -inf max: how many it removed. */
function dropScoresUpTo(db: MemoryDb, key: string, max: number): number {
  const scores = db.zset(key);
  if (scores === undefined) return 0;
  let dropped = 0;
  for (const [member, score] of scores) {
    if (score <= max) {
      scores.delete(member);
      dropped++;
    }
  }
  db.dropIfEmpty(key);
  return dropped;
}

export const createSessionScript = defineScript('create-session', new URL('./create-session.lua', import.meta.url), (db, keys, args) => {
  const [sessionKey, indexKey] = keys as [string, string];
  const [id, json, ttlText, keepText] = args as [string, string, string, string];
  const now = db.now();
  const ttl = Number(ttlText);
  const keep = Number(keepText);
  if (db.exists(sessionKey)) return [0, 0];
  db.setString(sessionKey, json, ttl);
  const pruned = dropScoresUpTo(db, indexKey, now - keep);
  db.zset(indexKey, true).set(id, now + ttl);
  const left = db.pttl(indexKey);
  if (left < ttl + keep) db.pexpire(indexKey, ttl + keep);
  return [1, pruned];
});

export const refreshSessionScript = defineScript('refresh-session', new URL('./refresh-session.lua', import.meta.url), (db, keys, args) => {
  const [sessionKey, indexKey, ...windowKeys] = keys as [string, string, string, string, string, string];
  const [id, ttlText, keepText] = args as [string, string, string];
  const ttl = Number(ttlText);
  const keep = Number(keepText);
  if (!db.pexpire(sessionKey, ttl)) return null;
  const now = db.now();
  db.zset(indexKey, true).set(id, now + ttl);
  if (db.pttl(indexKey) < ttl + keep) db.pexpire(indexKey, ttl + keep);
  for (const key of windowKeys) db.pexpire(key, ttl);
  return [db.getString(sessionKey), ttl];
});

export const sessionIndexScript = defineScript('session-index', new URL('./session-index.lua', import.meta.url), (db, keys, args) => {
  const indexKey = keys[0]!;
  const [keepText, which, countText] = args as [string, string, string];
  const now = db.now();
  const pruned = dropScoresUpTo(db, indexKey, now - Number(keepText));
  const live = which === 'live';
  return [now, rangeFrom(db.zset(indexKey), live ? now : -Infinity, live, Number(countText)), pruned];
}, [], { allowOom: true });

export const deleteSessionsScript = defineScript('delete-sessions', new URL('./delete-sessions.lua', import.meta.url), (db, keys, args) => {
  const indexKey = keys[0]!;
  let deleted = 0;
  args.forEach((id, i) => {
    const owned = keys.slice(1 + i * OWNED_KEYS_PER_SESSION, 1 + (i + 1) * OWNED_KEYS_PER_SESSION);
    if (db.del(owned[0]!)) deleted++;
    owned.slice(1).forEach((key) => db.del(key));
    db.zset(indexKey)?.delete(id);
    db.dropIfEmpty(indexKey);
  });
  return deleted;
}, [], { allowOom: true });

export const patchMetadataScript = defineScript('patch-metadata', new URL('./patch-metadata.lua', import.meta.url), (db, keys, args) => {
  const sessionKey = keys[0]!;
  const [patchText, maxBytesText] = args as [string, string];
  const text = db.getString(sessionKey);
  if (text === null) return [0];
  const session = JSON.parse(text) as { metadata?: unknown };
  const metadata = applyMergePatch(session.metadata, JSON.parse(patchText));
  const bytes = Buffer.byteLength(JSON.stringify(metadata), 'utf8');
  if (bytes > Number(maxBytesText)) return [-1, bytes];
  const updated = JSON.stringify({ ...session, metadata });
  const ttl = db.pttl(sessionKey);
  db.setString(sessionKey, updated, ttl < 0 ? undefined : ttl);
  return [1, updated, db.pttl(sessionKey)];
});
