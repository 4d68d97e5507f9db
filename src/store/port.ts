import type { MemoryDb } from './memory-db.js';

/**
 * The narrow port between Remembr's core and whatever holds its data. Two adapters implement it: RedisStore (a
 * real Redis through node-redis) and MemoryStore (in-process, for running without Redis). One contract suite
 * (store.contract.test.ts) runs against both, so a feature built on this port behaves the same on either.
 *
 * Every method either does its whole job or rejects; on an outage it rejects within the configured command timeout
 * instead of queueing, with StoreUnavailableError when the call was not applied and OutcomeUnknownError when it
 * was sent and may have been (both are StoreError).
 */
export interface Store {
  readonly kind: StoreKind;
  get(key: string): Promise<string | null>;
  /** Writes a value; with `ttlSeconds` it expires then, without it the key has no expiry. */
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  /** Removes keys (UNLINK on Redis: the memory is freed off the main thread). Returns how many existed. */
  delete(keys: string[]): Promise<number>;
  exists(key: string): Promise<boolean>;
  /** Sets a TTL on an existing key; false when the key is missing. */
  expire(key: string, ttlSeconds: number): Promise<boolean>;
  /** Seconds left: -1 for a key without expiry, -2 for a missing key. */
  ttl(key: string): Promise<number>;
  /** Adds to an integer counter (a missing key counts from 0). */
  incrBy(key: string, amount: number): Promise<number>;
  /** Returns the value and removes it in one step (GETDEL). */
  getDel(key: string): Promise<string | null>;
  /** Writes every entry, each with the same TTL when one is given, in one atomic step. */
  setMany(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds?: number): Promise<void>;
  /** Values in the order of `keys`, null for the missing ones. */
  getMany(keys: string[]): Promise<Array<string | null>>;
  /** Walks the keys matching a glob pattern, a batch at a time (SCAN on Redis: never KEYS). */
  scan(pattern: string, batchSize: number): AsyncIterable<string[]>;
  /**
   * With a client cache only (RedisStore with `clientCache`): `get` and `getMany` with each value decoded by
   * `decode`, undefined for a missing key. A cache hit hands back what `decode` returned at the entry's first
   * read, the same value to every caller, so `decode` must return something nobody can change.
   */
  getDecoded?<T>(key: string, decode: (text: string) => T): Promise<T | undefined>;
  getManyDecoded?<T>(keys: string[], decode: (text: string) => T): Promise<Array<T | undefined>>;
  /** Runs an atomic script: its Lua on Redis, its JavaScript twin on the memory store. */
  run(script: Script, keys: string[], args: Array<string | number>): Promise<Reply>;
  /** Resolves when the store answers; rejects with a StoreError when it does not. */
  ping(): Promise<void>;
  /** Closes what the store opened. */
  close(): Promise<void>;
  /**
   * INFO of each Redis server behind the store (every master of a cluster), for monitoring and the operator CLI.
   * The memory store has none: it reports its own figures instead (MemoryStore.stats).
   */
  serverInfo?(section?: string): Promise<ServerInfo[]>;
  /** Connections to Redis open and ready right now (the memory store has none). */
  openConnections?(): number;
  /**
   * For MeasuredStore: `get`, `set` and `run` that record their own latency and failures in `timings` (a
   * script's in `timings.script(name)`), from inside the bookkeeping the store does per call anyway (RedisStore's
   * deadline already reads the clock), so measuring them costs no promise and no clock read of MeasuredStore's
   * own. Returns the ones it can time that way (none with a client cache or durable writes, where an answer does
   * not always come from that bookkeeping); MeasuredStore wraps the rest. The store's own calls stay untimed.
   */
  timedCalls?(timings: StoreTimings): Partial<Pick<Store, 'get' | 'set' | 'run'>>;
}

/** Where a store that times its own calls records each kind of call (see Store.timedCalls). */
export interface StoreTimings {
  get: CallTiming;
  set: CallTiming;
  /** The timing of the script `name` (the same object for every call of it). */
  script(name: string): CallTiming;
}

/** Where a store that times its own calls records them (see Store.timedCalls). */
export interface CallTiming {
  /** A call answered after `seconds`. */
  observe(seconds: number): void;
  /** A call failed, or ran out of time, after `seconds`, with `err` (what its caller gets). */
  failed(seconds: number, err: unknown): void;
}

/** One server's INFO text, and the server it came from (`redis://host:port`, never credentials). */
export interface ServerInfo {
  node: string;
  text: string;
}

export type StoreKind = 'redis' | 'memory';

/** What a script returns, as Redis converts Lua values: integers, strings, nested arrays, and null for nil/false. */
export type Reply = null | number | string | Reply[];

/**
 * An atomic operation written twice: in Lua for Redis and in JavaScript for the memory store. The JavaScript twin
 * runs synchronously on the event loop, which makes it atomic in the same way a script is atomic inside Redis.
 * Define one with `defineScript` beside its only caller.
 */
export interface Script {
  readonly name: string;
  readonly lua: string;
  /** SHA1 of `lua`, for EVALSHA. */
  readonly sha: string;
  readonly local: (db: MemoryDb, keys: string[], args: string[]) => Reply;
}
