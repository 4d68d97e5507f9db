import { performance } from 'node:perf_hooks';
import { createClient, type RedisClientType } from 'redis';
import type { Logger } from 'pino';
import { describeRedisUrl } from '../config.js';
import type { Metrics } from '../observability/metrics.js';
import { ClientCache, type CachedRead, type ClientCacheOptions } from './client-cache.js';
import type { CallTiming, Reply, Script, ServerInfo, Store, StoreTimings } from './port.js';
import { expireManyScript, getWithTtlScript, readPairs } from './store-scripts.js';
import { confirmReplicated, writeAndWait, type Durability, type Send } from './durability.js';
import { closeWithin, FailFast, runScript, safeMessage, socketOptions, within } from './redis-common.js';

export interface RedisStoreOptions {
  url: string;
  /** How many connections to open; each one multiplexes (pipelines) every command given to it. */
  connections: number;
  /** A command that takes longer fails with OutcomeUnknownError (it was sent and may still be applied). */
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  /** PEM file of a CA to trust (self-signed `rediss://` servers). */
  tlsCaFile?: string;
  /** Accept a server certificate nobody vouches for. */
  tlsInsecure?: boolean;
  logger: Logger;
  /**
   * Server-assisted client-side caching (RESP3 tracking) of get, getMany and getWithTtl reads, within these bounds
   * (see ClientCache). Unset: every read goes to Redis.
   */
  clientCache?: Partial<ClientCacheOptions>;
  /** Where the client cache counts its hits, misses, invalidations, evictions and drops. */
  metrics?: Metrics;
  /** Acknowledge a write only once this many replicas have it (WAIT). Unset: as soon as the server has it. */
  durability?: Durability;
}

export type RedisConnection = RedisClientType;

/**
 * The Redis adapter: a fixed set of node-redis connections that fails fast.
 *
 * Why not a classic pool (one command per connection at a time, like redis-py's)? In Node every connection
 * pipelines: commands from any number of concurrent callers share one socket write and one read, so a couple of
 * connections carry what twenty exclusive ones would, several times faster (see BENCHMARKS.md, "client shape").
 * Remembr never blocks a connection (no BLPOP, no WATCH), so there is nothing to hold one for. Calls are spread
 * over the connections round-robin.
 *
 * Commands are never queued while Redis is away (`disableOfflineQueue`), and every call has a deadline, so an
 * outage answers within `commandTimeoutMs`; the connections reconnect in the background and the same instance
 * works again once Redis returns.
 */
export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  readonly #connections: RedisConnection[];
  #next = 0;
  readonly #logger: Logger;
  readonly #where: string;
  /** The deadline of every call, and one log line per outage and one per recovery. */
  readonly #failFast: FailFast;
  #connecting: Promise<unknown> | undefined;
  /** Present when the client cache is on: every connection then speaks RESP3 with tracking. */
  readonly clientCache: ClientCache | undefined;

  readonly #durability: Durability | undefined;

  constructor(options: RedisStoreOptions) {
    this.#durability = options.durability;
    this.#logger = options.logger;
    this.#where = describeRedisUrl(options.url);
    this.#failFast = new FailFast(options.logger, options.commandTimeoutMs);
    const cache = options.clientCache ? new ClientCache(options.clientCache, options.metrics) : undefined;
    this.clientCache = cache;
    this.getDecoded = cache && ((key, decode) => this.#getDecoded(cache, key, decode));
    this.getManyDecoded = cache && ((keys, decode) =>
      this.#readMany(cache, keys).then((reads) => reads.map((read, i) => this.#decoded(cache, keys[i]!, read, decode))));
    const connect = () =>
      createClient({
        url: options.url,
        disableOfflineQueue: true,
        // Remembr bounds every call itself (#call), which also covers a command already on the wire.
        commandOptions: { timeout: 0 },
        // A fresh object per connection: node-redis writes the URL's host and port into it.
        socket: socketOptions(options.url, options),
        // One provider for every connection: each turns tracking on at connect and passes its invalidations to it,
        // and the loss of any one drops the whole cache.
        ...(cache ? { RESP: 3 as const, clientSideCache: cache.provider } : {}),
      }) as unknown as RedisConnection;
    this.#connections = Array.from({ length: Math.max(1, options.connections) }, connect);
    for (const connection of this.#connections) {
      // node-redis reports every failed reconnect here; FailFast logs once per outage.
      connection.on('error', (err: Error) => {
        this.#failFast.markDown(this.#where, err);
        cache?.drop();
      });
      connection.on('ready', () => this.#failFast.markUp(this.#where));
    }
  }

  /** One of the connections, for direct access to commands Remembr does not wrap. */
  get client(): RedisConnection {
    return this.#pick();
  }

  /**
   * The next connection in turn, passing over one that is still reconnecting while another is ready: after an
   * outage the connections come back one at a time, and a call must not fail on the one still away.
   */
  #pick(): RedisConnection {
    const count = this.#connections.length;
    for (let tried = 0; tried < count; tried++) {
      const connection = this.#connections[this.#next]!;
      this.#next = (this.#next + 1) % count;
      if (connection.isReady) return connection;
    }
    // None is ready: any will do, and fails fast.
    return this.#connections[this.#next]!;
  }

  /**
   * Starts connecting and waits at most `waitMs` for it. Never rejects: a Redis that is down at start leaves the
   * store degraded (commands fail fast) while the connections keep trying in the background.
   */
  async connect(waitMs: number): Promise<boolean> {
    this.#connecting ??= Promise.all(this.#connections.map((connection) => connection.connect())).then(
      () => this.#failFast.markUp(this.#where),
      (err: unknown) => {
        // Closing a connection that never connected aborts its connection attempt: that is no failure worth a warning.
        if (!this.#failFast.closing) this.#logger.warn({ redis: this.#where, err: safeMessage(err) }, 'Redis connection failed');
      },
    );
    const outcome = await within(this.#connecting, waitMs, 'timeout' as const);
    if (outcome === 'timeout') {
      this.#logger.warn({ redis: this.#where }, 'Redis is not reachable yet; starting degraded and retrying in the background');
      return false;
    }
    return true;
  }

  // get and set are the hot path: they send their arguments as they are (sendCommand), without node-redis's
  // per-command parser and reply transform, which these two replies (a string or null, and OK) do not need.
  get(key: string): Promise<string | null> {
    const cache = this.clientCache;
    if (cache === undefined) return this.#get(key, undefined);
    const hit = cache.lookup(key);
    if (hit !== undefined) return Promise.resolve(hit.text);
    return this.#fill(cache, [key]).then((reads) => reads[0]!.text);
  }

  /**
   * `get` with the value decoded by `decode` (undefined when missing), present only with the client cache: a hit
   * hands back what `decode` made at the entry's first read, the same value to every caller, so `decode` must
   * return something nobody can change (CacheService freezes it).
   */
  readonly getDecoded: (<T>(key: string, decode: (text: string) => T) => Promise<T | undefined>) | undefined;

  set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    if (this.clientCache === undefined && this.#durability === undefined) return this.#set(key, value, ttlSeconds, undefined);
    return this.#write([key], (redis) => redis.sendCommand(setCommand(key, value, ttlSeconds))) as Promise<unknown> as Promise<void>;
  }

  /** See Store.timedCalls: without a client cache or durable writes every get, set and script is one FailFast call. */
  timedCalls(timings: StoreTimings): Partial<Pick<Store, 'get' | 'set' | 'run'>> {
    if (this.clientCache !== undefined || this.#durability !== undefined) return {};
    return {
      get: (key) => this.#get(key, timings.get),
      set: (key, value, ttlSeconds) => this.#set(key, value, ttlSeconds, timings.set),
      run: (script, keys, args) =>
        this.#failFast.call(
          this.#where,
          () => {
            const redis = this.#pick();
            return runScript((command) => redis.sendCommand(command), script, keys, args);
          },
          timings.script(script.name),
        ),
    };
  }

  #get(key: string, timing: CallTiming | undefined): Promise<string | null> {
    return this.#failFast.call(this.#where, () => this.#pick().sendCommand(['GET', key]) as Promise<string | null>, timing);
  }

  /** Resolves with Redis's OK, which no caller reads: no extra promise just to turn it into undefined. */
  #set(key: string, value: string, ttlSeconds: number | undefined, timing: CallTiming | undefined): Promise<void> {
    return this.#failFast.call(this.#where, () => this.#pick().sendCommand(setCommand(key, value, ttlSeconds)), timing) as Promise<unknown> as Promise<void>;
  }

  delete(keys: string[]): Promise<number> {
    if (keys.length === 0) return Promise.resolve(0);
    return this.#write(keys, (redis) => redis.unlink(keys));
  }

  async exists(key: string): Promise<boolean> {
    return (await this.#call((redis) => redis.exists(key))) === 1;
  }

  async expire(key: string, ttlSeconds: number): Promise<boolean> {
    return (await this.#write([key], (redis) => redis.expire(key, ttlSeconds))) === 1;
  }

  ttl(key: string): Promise<number> {
    return this.#call((redis) => redis.ttl(key));
  }

  incrBy(key: string, amount: number): Promise<number> {
    return this.#write([key], (redis) => redis.incrBy(key, amount));
  }

  getDel(key: string): Promise<string | null> {
    return this.#write([key], (redis) => redis.getDel(key));
  }

  async setMany(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds?: number): Promise<void> {
    if (entries.length === 0) return;
    const keys = entries.map(([key]) => key);
    if (ttlSeconds === undefined) {
      await this.#write(keys, (redis) => redis.mSet(entries.map(([key, value]) => [key, value] as [string, string])));
      return;
    }
    // One MULTI: the values in one MSET, then their TTLs in one script, so the batch lands whole, with every expiry,
    // and a refusal at queue time (out of memory, a read-only replica) aborts all of it. The script goes as EVAL,
    // never EVALSHA: a NOSCRIPT inside EXEC would leave the MSET applied without its expiries.
    const flat = ['MSET'];
    for (const [key, value] of entries) flat.push(key, value);
    const expire = ['EVAL', expireManyScript.lua, String(keys.length), ...keys, String(ttlSeconds)];
    await this.#write(keys, (redis) => redis.multi().addCommand(flat).addCommand(expire).exec());
  }

  getMany(keys: string[]): Promise<Array<string | null>> {
    if (keys.length === 0) return Promise.resolve([]);
    const cache = this.clientCache;
    if (cache === undefined) return this.#call((redis) => redis.mGet(keys));
    return this.#readMany(cache, keys).then((reads) => reads.map((read) => read.text));
  }

  /** `getMany` with each value decoded by `decode`, as `getDecoded`; present only with the client cache. */
  readonly getManyDecoded: (<T>(keys: string[], decode: (text: string) => T) => Promise<Array<T | undefined>>) | undefined;

  async *scan(pattern: string, batchSize: number): AsyncIterable<string[]> {
    let cursor = '0';
    do {
      const reply = await this.#call((redis) => redis.scan(cursor, { MATCH: pattern, COUNT: batchSize }));
      cursor = String(reply.cursor);
      if (reply.keys.length > 0) yield reply.keys.map(String);
    } while (cursor !== '0');
  }

  run(script: Script, keys: string[], args: Array<string | number>): Promise<Reply> {
    const cache = this.clientCache;
    if (cache !== undefined && script === getWithTtlScript) {
      // The one read-only script: served from the cache, each TTL counted down from when it was read.
      return this.#readMany(cache, keys).then((reads) => {
        const now = performance.now();
        return reads.flatMap((read): Reply[] =>
          read.text === null ? ['', -2] : [read.text, read.expiresAt === Number.POSITIVE_INFINITY ? -1 : Math.max(1, Math.round(read.expiresAt - now))],
        );
      });
    }
    // Any other script may write any of its keys.
    return this.#write(keys, (_redis, send) => runScript(send, script, keys, args));
  }

  async ping(): Promise<void> {
    await this.#call((redis) => redis.ping());
  }

  openConnections(): number {
    return this.#connections.filter((connection) => connection.isReady).length;
  }

  async serverInfo(section?: string): Promise<ServerInfo[]> {
    const text = await this.#call((redis) => (section === undefined ? redis.info() : redis.info(section)));
    return [{ node: this.#where, text: String(text) }];
  }

  /** Closes gracefully, within one command timeout per connection (see closeWithin). */
  async close(): Promise<void> {
    this.#failFast.closing = true;
    await Promise.all(
      this.#connections.map((connection) =>
        closeWithin(this.#failFast.commandTimeoutMs, () => connection.close(), () => connection.destroy()),
      ),
    );
  }

  /** Runs one store operation on the next connection, under the deadline and outage rules of FailFast. */
  #call<T>(command: (redis: RedisConnection) => Promise<T>): Promise<T> {
    const cache = this.clientCache;
    const call = this.#failFast.call(this.#where, () => command(this.#pick()));
    if (cache === undefined) return call;
    // A call that failed or ran out of time may share its connection with an invalidation that never came.
    return call.then(undefined, (err: unknown) => {
      cache.drop();
      throw err;
    });
  }

  /**
   * A call that may change `keys`. With the client cache, they are forgotten when it is sent and again when it is
   * answered: a read sent on another connection meanwhile may have been served before the write, and its reply
   * must not outlive the write's answer here (Redis's invalidation for it travels on that other connection).
   */
  #write<T>(keys: readonly string[], command: (redis: RedisConnection, send: Send) => Promise<T>): Promise<T> {
    const cache = this.clientCache;
    if (cache === undefined) return this.#replicated(command);
    cache.forget(keys);
    return this.#replicated(command).then((result) => {
      cache.forget(keys);
      return result;
    });
  }

  /**
   * A write under the deadline, and with durable acknowledgements its WAIT on the same connection, in the same
   * deadline. A command that may be sent again (a script's EVAL after NOSCRIPT) goes through `send`, so that it
   * gets a WAIT of its own (see writeAndWait).
   */
  #replicated<T>(command: (redis: RedisConnection, send: Send) => Promise<T>): Promise<T> {
    const durability = this.#durability;
    if (durability === undefined) return this.#call((redis) => command(redis, (raw) => redis.sendCommand(raw)));
    return this.#call((redis) => writeAndWait((raw) => redis.sendCommand(raw), (send) => command(redis, send), durability)).then((replies) =>
      confirmReplicated(replies, durability, this.#where),
    );
  }

  /** Reads `keys` with their TTLs from Redis and keeps each reply unless an invalidation overtook it. */
  #fill(cache: ClientCache, keys: string[]): Promise<CachedRead[]> {
    const sentAt = performance.now();
    const fills = keys.map((key) => cache.begin(key, sentAt));
    return this.#call((redis) => runScript((command) => redis.sendCommand(command), getWithTtlScript, keys, [])).then(
      (reply) =>
        readPairs(reply).map(([text, pttl], i) => {
          const expiresAt = pttl >= 0 ? sentAt + pttl : Number.POSITIVE_INFINITY;
          return cache.complete(fills[i]!, text, pttl) ?? { text, expiresAt };
        }),
      (err: unknown) => {
        for (const fill of fills) cache.fail(fill);
        throw err;
      },
    );
  }

  /** Each key from the cache when it holds it, the rest in one read from Redis. */
  #readMany(cache: ClientCache, keys: string[]): Promise<CachedRead[]> {
    const now = performance.now();
    const reads: Array<CachedRead | undefined> = keys.map((key) => cache.lookup(key, now));
    const missing = keys.filter((_, i) => reads[i] === undefined);
    if (missing.length === 0) return Promise.resolve(reads as CachedRead[]);
    // A key asked for twice is read once.
    const unique = [...new Set(missing)];
    return this.#fill(cache, unique).then((filled) => {
      const byKey = new Map(unique.map((key, i) => [key, filled[i]!]));
      return keys.map((key, i) => reads[i] ?? byKey.get(key)!);
    });
  }

  #getDecoded<T>(cache: ClientCache, key: string, decode: (text: string) => T): Promise<T | undefined> {
    const hit = cache.lookup(key);
    if (hit !== undefined) {
      if (hit.decoded !== undefined || hit.text === null) return Promise.resolve(hit.decoded as T | undefined);
      try {
        return Promise.resolve(this.#decoded(cache, key, hit, decode));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.#fill(cache, [key]).then((reads) => this.#decoded(cache, key, reads[0]!, decode));
  }

  /** The read's value decoded (undefined when missing), and kept beside its entry so later hits skip the decoding. */
  #decoded<T>(cache: ClientCache, key: string, read: CachedRead & { decoded?: unknown }, decode: (text: string) => T): T | undefined {
    if (read.text === null) return undefined;
    if (read.decoded !== undefined) return read.decoded as T;
    const value = decode(read.text);
    cache.remember(key, read, value);
    return value;
  }
}

function setCommand(key: string, value: string, ttlSeconds: number | undefined): string[] {
  return ttlSeconds === undefined ? ['SET', key, value] : ['SET', key, value, 'EX', String(ttlSeconds)];
}
