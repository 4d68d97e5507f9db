import type { Reply } from './port.js';
import { defineScript } from './script.js';

/** GET and PTTL of every key in one step; the twin reads the memory store the same way. */
export const getWithTtlScript = defineScript('getWithTtl', new URL('./get-with-ttl.lua', import.meta.url), (db, keys) =>
  keys.flatMap((key): Reply[] => {
    const value = db.getString(key);
    return value === null ? ['', -2] : [value, db.pttl(key)];
  }),
  [],
  { allowOom: true },
);

/** The script's flat reply as one pair per key: the value (null when missing) and its PTTL. */
export function readPairs(reply: Reply): Array<[string | null, number]> {
  const flat = reply as Array<string | number>;
  const pairs: Array<[string | null, number]> = [];
  for (let i = 0; i < flat.length; i += 2) {
    const pttl = Number(flat[i + 1]);
    pairs.push([pttl === -2 ? null : String(flat[i]), pttl]);
  }
  return pairs;
}

/** EXPIRE of every key with one TTL, the second half of RedisStore.setMany's MULTI (see expire-many.lua). */
export const expireManyScript = defineScript(
  'expireMany',
  new URL('./expire-many.lua', import.meta.url),
  (db, keys, args) => {
    const ttlMs = Number(args[0]) * 1000;
    keys.forEach((key) => db.pexpire(key, ttlMs));
    return keys.length;
  },
  [],
  // It adds nothing: the MSET queued before it is the write Redis checks against maxmemory.
  { allowOom: true },
);

/** SET … EX of every key with one TTL, atomically (see set-many.lua); the twin writes the memory store the same way. */
export const setManyScript = defineScript('setMany', new URL('./set-many.lua', import.meta.url), (db, keys, args) => {
  const ttlMs = Number(args[args.length - 1]) * 1000;
  keys.forEach((key, i) => db.setString(key, args[i]!, ttlMs));
  return keys.length;
});
