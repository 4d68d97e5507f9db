import { defineScript, type MemoryDb, type Reply } from '../index.js';

/*
 * RemembrSaver's scripts: each a Lua file beside this one (after the shared thread-prelude.lua) and its
 * JavaScript twin for the memory store, which follows the Lua step by step. The .lua headers name every KEYS and
 * ARGV entry. Every field and member is ASCII (see checkpoint-keys.ts), so JavaScript's string order is Redis's
 * byte order here.
 */

const PRELUDE = [new URL('./thread-prelude.lua', import.meta.url)];

function expireThread(db: MemoryDb, keys: string[], ttlMs: number): void {
  for (const key of keys.slice(0, 5)) db.pexpire(key, ttlMs);
}

/** ZRANGEBYLEX bounds: `[x` inclusive, `(x` exclusive, `-` and `+` the ends. */
function withinLex(member: string, min: string, max: string): boolean {
  const above =
    min === '-' ? true : min === '+' ? false : min.startsWith('(') ? member > min.slice(1) : member >= min.slice(1);
  const below =
    max === '+' ? true : max === '-' ? false : max.startsWith('(') ? member < max.slice(1) : member <= max.slice(1);
  return above && below;
}

function lexRange(db: MemoryDb, key: string, min: string, max: string): string[] {
  const members = db.zset(key);
  if (members === undefined) return [];
  return [...members.keys()].filter((member) => withinLex(member, min, max)).sort();
}

function readTuple(db: MemoryDb, keys: string[], member: string): Reply[] | null {
  const [checkpointsKey, , blobsKey, writesKey, writeIndexKey] = keys as [string, string, string, string, string];
  const stored = db.hash(checkpointsKey)?.get(member);
  if (stored === undefined) return null;
  const newline = stored.indexOf('\n');
  const refs = stored.slice(0, newline).split(',').filter((field) => field.length > 0);
  const blobs = db.hash(blobsKey);
  const writes = db.hash(writesKey);
  const fields = lexRange(db, writeIndexKey, `[${member}|`, `(${member}}`);
  return [
    member,
    stored.slice(newline + 1),
    refs.map((field) => blobs?.get(field) ?? null),
    fields.map((field) => writes?.get(field) ?? null),
  ];
}

export const putCheckpointScript = defineScript(
  'langgraph-put-checkpoint',
  new URL('./put-checkpoint.lua', import.meta.url),
  (db, keys, args) => {
    const [checkpointsKey, indexKey, blobsKey] = keys as [string, string, string];
    const [ttl, member, record] = args as [string, string, string];
    for (let i = 3; i < args.length; i += 2) db.hash(blobsKey, true).set(args[i]!, args[i + 1]!);
    db.hash(checkpointsKey, true).set(member, record);
    db.zset(indexKey, true).set(member, 0);
    expireThread(db, keys, Number(ttl));
    return 1;
  },
  PRELUDE,
);

export const putWritesScript = defineScript(
  'langgraph-put-writes',
  new URL('./put-writes.lua', import.meta.url),
  (db, keys, args) => {
    const writesKey = keys[3]!;
    const writeIndexKey = keys[4]!;
    let stored = 0;
    for (let i = 1; i < args.length; i += 3) {
      const [field, value, replace] = [args[i]!, args[i + 1]!, args[i + 2]!];
      const writes = db.hash(writesKey, true);
      if (replace !== '1' && writes.has(field)) continue;
      writes.set(field, value);
      db.zset(writeIndexKey, true).set(field, 0);
      stored++;
    }
    expireThread(db, keys, Number(args[0]));
    return stored;
  },
  PRELUDE,
);

export const readCheckpointsScript = defineScript(
  'langgraph-read-checkpoints',
  new URL('./read-checkpoints.lua', import.meta.url),
  (db, keys, args) => {
    const [ttl, mode, first, second, count] = args as [string, string, string, string?, string?];
    const members = mode === 'member' ? [first] : lexRange(db, keys[1]!, second!, first).reverse().slice(0, Number(count));
    const found: Reply[] = [];
    for (const member of members) {
      const tuple = readTuple(db, keys, member);
      if (tuple !== null) found.push(tuple);
    }
    if (Number(ttl) > 0 && found.length > 0) expireThread(db, keys, Number(ttl));
    return found;
  },
  PRELUDE,
);
