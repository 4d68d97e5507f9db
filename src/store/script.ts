import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { MemoryDb } from './memory-db.js';
import type { Reply, Script } from './port.js';

/**
 * Every script is a flagged one (Redis 7 shebang). With the default flags (a script that may write) Redis refuses
 * it before it starts when it could not finish its writes (out of memory, a read-only replica, too few replicas,
 * a failed disk save), where an unflagged script would run until its first write and fail there, leaving its
 * earlier writes applied. So a refusal reply always means "nothing applied" (see redis-common.ts). A flagged
 * script may touch only the keys it declares, which Redis Cluster needs anyway.
 */
const shebang = (options: ScriptOptions) => (options.allowOom ? '#!lua flags=allow-oom' : '#!lua');

export interface ScriptOptions {
  /**
   * The script only reads, refreshes expiries or removes keys, so it must run while Redis is out of memory
   * (removing is how memory is freed). Never for a script that adds data: it could then grow past maxmemory.
   * @default false
   */
  allowOom?: boolean;
}

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
  options: ScriptOptions = {},
): Script {
  const lua = [shebang(options), ...[...preludes, luaFile].map((file) => readFileSync(file, 'utf8'))].join('\n');
  return { name, lua, sha: createHash('sha1').update(lua).digest('hex'), local };
}
