/**
 * The data behind MemoryStore: a map of typed values with millisecond expiry, shaped like the few Redis types
 * Remembr uses (strings, lists, hashes, sorted sets) so that a script's JavaScript twin reads like its Lua.
 * Everything here is synchronous; callers rely on that for atomicity.
 */
type Value =
  | { type: 'string'; value: string }
  | { type: 'list'; value: string[] }
  | { type: 'hash'; value: Map<string, string> }
  | { type: 'zset'; value: Map<string, number> };

interface Entry {
  data: Value;
  /** Epoch milliseconds, or undefined for no expiry. */
  expiresAt?: number;
}

/** The error Redis answers when a command meets a key of another type. */
export class WrongTypeError extends Error {
  override name = 'WrongTypeError';
  constructor() {
    super('WRONGTYPE Operation against a key holding the wrong kind of value');
  }
}

export class MemoryDb {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly clock: () => number = Date.now) {}

  now(): number {
    return this.clock();
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Roughly how much memory the data takes: two bytes per character of keys and values (V8 strings are UTF-16 at
   * worst) plus a fixed cost per entry and per element. A monitoring figure, walked every few seconds, not a
   * measurement of the heap.
   */
  approximateBytes(): number {
    const ENTRY = 64;
    const ELEMENT = 32;
    let bytes = 0;
    for (const [key, entry] of this.#entries) {
      bytes += ENTRY + key.length * 2;
      const data = entry.data;
      if (data.type === 'string') bytes += data.value.length * 2;
      else if (data.type === 'list') for (const item of data.value) bytes += ELEMENT + item.length * 2;
      else if (data.type === 'hash') for (const [field, value] of data.value) bytes += ELEMENT + (field.length + value.length) * 2;
      else for (const member of data.value.keys()) bytes += ELEMENT + 8 + member.length * 2;
    }
    return bytes;
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.clock()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #typed<T extends Value['type']>(key: string, type: T): Extract<Value, { type: T }> | undefined {
    const entry = this.#live(key);
    if (entry === undefined) return undefined;
    if (entry.data.type !== type) throw new WrongTypeError();
    return entry.data as Extract<Value, { type: T }>;
  }

  #create<T extends Value['type']>(key: string, data: Extract<Value, { type: T }>): Extract<Value, { type: T }> {
    this.#entries.set(key, { data });
    return data;
  }

  exists(key: string): boolean {
    return this.#live(key) !== undefined;
  }

  del(key: string): boolean {
    const existed = this.#live(key) !== undefined;
    this.#entries.delete(key);
    return existed;
  }

  getString(key: string): string | null {
    return this.#typed(key, 'string')?.value ?? null;
  }

  /** SET: replaces any value of any type, and its TTL (none when `ttlMs` is undefined). */
  setString(key: string, value: string, ttlMs?: number): void {
    this.#entries.set(key, {
      data: { type: 'string', value },
      expiresAt: ttlMs === undefined ? undefined : this.clock() + ttlMs,
    });
  }

  incrBy(key: string, amount: number): number {
    const current = this.#typed(key, 'string');
    const base = current === undefined ? 0 : Number(current.value);
    if (current !== undefined && !/^-?\d+$/.test(current.value)) {
      throw new Error('ERR value is not an integer or out of range');
    }
    const next = base + amount;
    if (!Number.isSafeInteger(next)) throw new Error('ERR increment or decrement would overflow');
    if (current === undefined) this.#create(key, { type: 'string', value: String(next) });
    else current.value = String(next);
    return next;
  }

  /** The list at `key`, created empty when `create` is set; callers mutate the array in place. */
  list(key: string, create: true): string[];
  list(key: string, create?: false): string[] | undefined;
  list(key: string, create = false): string[] | undefined {
    return this.#typed(key, 'list')?.value ?? (create ? this.#create(key, { type: 'list', value: [] }).value : undefined);
  }

  hash(key: string, create: true): Map<string, string>;
  hash(key: string, create?: false): Map<string, string> | undefined;
  hash(key: string, create = false): Map<string, string> | undefined {
    return this.#typed(key, 'hash')?.value ?? (create ? this.#create(key, { type: 'hash', value: new Map() }).value : undefined);
  }

  zset(key: string, create: true): Map<string, number>;
  zset(key: string, create?: false): Map<string, number> | undefined;
  zset(key: string, create = false): Map<string, number> | undefined {
    return this.#typed(key, 'zset')?.value ?? (create ? this.#create(key, { type: 'zset', value: new Map() }).value : undefined);
  }

  /** Redis removes a list, hash or set that becomes empty; twins call this after removing elements. */
  dropIfEmpty(key: string): void {
    const entry = this.#live(key);
    if (entry === undefined || entry.data.type === 'string') return;
    const items = entry.data.value;
    if ((Array.isArray(items) ? items.length : items.size) === 0) this.#entries.delete(key);
  }

  /** PEXPIRE: false when the key is missing. */
  pexpire(key: string, ttlMs: number): boolean {
    const entry = this.#live(key);
    if (entry === undefined) return false;
    if (ttlMs <= 0) {
      this.#entries.delete(key);
      return true;
    }
    entry.expiresAt = this.clock() + ttlMs;
    return true;
  }

  /** PTTL: -2 missing, -1 no expiry. */
  pttl(key: string): number {
    const entry = this.#live(key);
    if (entry === undefined) return -2;
    if (entry.expiresAt === undefined) return -1;
    return Math.max(0, entry.expiresAt - this.clock());
  }

  /** Live keys matching a Redis glob pattern, in insertion order. */
  *keys(pattern: string): Generator<string> {
    const matcher = globToRegExp(pattern);
    for (const key of [...this.#entries.keys()]) {
      if (matcher.test(key) && this.#live(key) !== undefined) yield key;
    }
  }

  /** Drops expired entries; MemoryStore calls it on a timer so unread keys do not pile up. */
  sweep(limit = 10_000): number {
    const now = this.clock();
    let dropped = 0;
    let seen = 0;
    for (const [key, entry] of this.#entries) {
      if (++seen > limit) break;
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) {
        this.#entries.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  /** Every live entry as plain data, for tests that must prove a request changed nothing. */
  *entries(): Generator<{ key: string; type: Value['type']; value: unknown; expiresAt?: number }> {
    for (const key of [...this.#entries.keys()]) {
      const entry = this.#live(key);
      if (entry === undefined) continue;
      const { data } = entry;
      const value = data.value instanceof Map ? [...data.value.entries()] : Array.isArray(data.value) ? [...data.value] : data.value;
      yield { key, type: data.type, value, expiresAt: entry.expiresAt };
    }
  }

  flush(): void {
    this.#entries.clear();
  }
}

/** Redis glob syntax (`*`, `?`, `[abc]`, `[^a]`, `[a-z]`, `\x`) as a RegExp. */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else if (c === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]!);
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) {
        source += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('^');
      if (negate) body = body.slice(1);
      source += `[${negate ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      i = end;
    } else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
