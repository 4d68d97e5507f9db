import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { MemoryDb } from './memory-db.js';
import type { Reply, Script } from './port.js';

/**
 * Loads a Lua file that sits beside its caller (`new URL('./x.lua', import.meta.url)`) and pairs it with its
 * JavaScript twin for the memory store. `preludes` are Lua files of `local function`s that several scripts of
 * one feature share: Redis runs each script on its own, so they are put in front of its source here. The SHA is
 * computed once, over the whole, for EVALSHA.
 */
export function defineScript(
  name: string,
  luaFile: URL,
  local: (db: MemoryDb, keys: string[], args: string[]) => Reply,
  preludes: URL[] = [],
): Script {
  const lua = [...preludes, luaFile].map((file) => readFileSync(file, 'utf8')).join('\n');
  return { name, lua, sha: createHash('sha1').update(lua).digest('hex'), local };
}
