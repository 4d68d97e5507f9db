import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { MemoryDb } from './memory-db.js';
import type { Reply, Script } from './port.js';

/**
 * Loads a Lua file that sits beside its caller (`new URL('./x.lua', import.meta.url)`) and pairs it with its
 * JavaScript twin for the memory store. The SHA is computed once, here, for EVALSHA.
 */
export function defineScript(
  name: string,
  luaFile: URL,
  local: (db: MemoryDb, keys: string[], args: string[]) => Reply,
): Script {
  const lua = readFileSync(luaFile, 'utf8');
  return { name, lua, sha: createHash('sha1').update(lua).digest('hex'), local };
}
