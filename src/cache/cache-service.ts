import { silentLogger, type Logger } from '../observability/logger.js';
import { Metrics, type Counter, type CounterFamily } from '../observability/metrics.js';
import { ValidationError } from '../errors.js';
import { assertScopedPattern, KEY_PREFIX } from '../keys.js';
import type { Store } from '../store/port.js';
import { decodeShared, encodeJson } from './json.js';

/** What the client-cache decoder keeps for a value that is not JSON, so one such value does not fail a whole read. */
const UNREADABLE: unique symbol = Symbol('unreadable');
function decodeOrMark(text: string): unknown {
  try {
    return decodeShared(text);
  } catch {
    return UNREADABLE;
  }
}

const NAMESPACED = `${KEY_PREFIX}:`;
const NAMESPACE = /^[A-Za-z0-9_-]{1,32}$/;
const MAX_NAMESPACES = 64;
/** Namespaces get and set find by key prefix alone (see #hot). */
const RECENT_NAMESPACES = 4;

/** The handles get and set count with on every call, for one namespace. */
interface HotCounters {
  getHit: Counter;
  getMiss: Counter;
  setOk: Counter;
}

export interface CacheServiceOptions {
  logger?: Logger;
  metrics?: Metrics;
  /** Keys fetched per SCAN step and removed per UNLINK in `deletePattern`. @default 500 */
  scanBatchSize?: number;
}

/** Checks a TTL; Remembr refuses 0, negatives and fractions instead of storing "forever" as the original did. */
export function assertTtl(ttlSeconds: number, field = 'ttlSeconds'): number {
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new ValidationError(`${field} must be a positive whole number of seconds (got ${String(ttlSeconds)})`, field);
  }
  return ttlSeconds;
}

/**
 * The guide's CacheService: JSON values under namespaced keys, with TTLs, over any Store.
 *
 * It degrades instead of failing when the store errors: `get` → null, `set` → false, `exists` → false,
 * `delete` → false, `expire` → false, `increment` → null, `ttl` → -2, `getMany` → {}, `deletePattern` → 0, each
 * failure logged with its key and counted in `remembr_cache_errors_total`. Wrong arguments (a TTL that is not a
 * positive whole number, a pattern outside `remembr:<namespace>:`) are programming errors and reject with
 * ValidationError; a value JSON cannot carry makes `set` return false.
 */
export class CacheService {
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #metrics: Metrics;
  readonly #scanBatchSize: number;
  /** Loads in flight per key, so concurrent misses in this process call the loader once. */
  readonly #loading = new Map<string, Promise<unknown>>();

  constructor(store: Store, options: CacheServiceOptions = {}) {
    this.#store = store;
    this.#logger = options.logger ?? silentLogger;
    this.#metrics = options.metrics ?? new Metrics();
    this.#operations = this.#metrics.counterFamily(
      'remembr_cache_operations_total',
      'Cache operations by operation, outcome (hit, miss, ok, invalid, error) and key namespace',
      ['operation', 'outcome', 'namespace'],
    );
    this.#scanBatchSize = options.scanBatchSize ?? 500;
  }

  /**
   * The hot path, written without async functions: one `then` on the store's promise instead of an async frame
   * awaiting another (measured in BENCHMARKS.md, "JSON get"). Every outcome is still counted and a failure still
   * degrades to null.
   */
  get<T = unknown>(key: string): Promise<T | null> {
    if (this.#store.getDecoded !== undefined) return this.#getShared<T>(key);
    let pending: Promise<string | null>;
    try {
      pending = this.#store.get(key);
    } catch (err) {
      return Promise.resolve(this.#degrade('get', key, err, null));
    }
    return pending.then(
      (raw) => {
        if (raw === null) return this.#miss(key);
        let value: T;
        try {
          value = JSON.parse(raw) as T;
        } catch (err) {
          // Not written by Remembr (or corrupted): no value to give, but the store answered, so not an outage.
          return this.#undecodable('get', key, err);
        }
        return this.#hit(key, value);
      },
      (err: unknown) => this.#degrade('get', key, err, null),
    );
  }

  /**
   * get through the store's client cache: a hit is answered in process, with the value parsed and frozen at its
   * first read and shared by every caller since (see the README, "Client-side caching").
   */
  #getShared<T>(key: string): Promise<T | null> {
    let pending: Promise<T | typeof UNREADABLE | undefined>;
    try {
      pending = this.#store.getDecoded!(key, decodeOrMark as (text: string) => T | typeof UNREADABLE);
    } catch (err) {
      return Promise.resolve(this.#degrade('get', key, err, null));
    }
    return pending.then(
      (value) =>
        value === undefined ? this.#miss(key) : value === UNREADABLE ? this.#undecodable('get', key, new SyntaxError('not JSON')) : this.#hit(key, value as T),
      (err: unknown) => this.#degrade('get', key, err, null),
    );
  }

  /** Each key of a getMany is a hit or a miss, as if read one by one. */
  #countMany(keys: string[], hits: number, unreadable = 0): void {
    if (hits > 0) this.#count('getMany', 'hit', keys[0], hits);
    if (keys.length > hits + unreadable) this.#count('getMany', 'miss', keys[0], keys.length - hits - unreadable);
  }

  /**
   * A stored value that is not JSON: logged with its key (never the value) and counted with outcome `decode_error`
   * and in remembr_cache_decode_errors_total, apart from store failures, so it does not look like an outage.
   */
  #undecodable(operation: string, key: string, err: unknown): null {
    this.#count(operation, 'decode_error', key);
    this.#metrics.increment('remembr_cache_decode_errors_total', { operation }, 1, 'Stored values a cache read could not decode as JSON');
    this.#logger.warn({ key, operation, err: (err as Error)?.message ?? String(err) }, 'Cache value is not JSON; skipped');
    return null;
  }

  #hit<T>(key: string, value: T): T {
    this.#hot(key).getHit.inc();
    if (this.#debug()) this.#logger.debug({ key }, 'Cache hit');
    return value;
  }

  #miss(key: string): null {
    this.#hot(key).getMiss.inc();
    if (this.#debug()) this.#logger.debug({ key }, 'Cache miss');
    return null;
  }

  /** Like get, one `then` on the store's promise; the JSON refusal and the TTL check run before anything is sent. */
  set(key: string, value: unknown, ttlSeconds?: number): Promise<boolean> {
    let text: string;
    try {
      // A wrong TTL rejects (as from an async function), never throws at the caller.
      if (ttlSeconds !== undefined) assertTtl(ttlSeconds);
    } catch (err) {
      return Promise.reject(err);
    }
    try {
      text = encodeJson(value);
    } catch (err) {
      this.#logger.error({ key, err: (err as Error).message }, 'Cache value is not JSON; nothing stored');
      this.#count('set', 'invalid', key);
      return Promise.resolve(false);
    }
    let pending: Promise<void>;
    try {
      pending = this.#store.set(key, text, ttlSeconds);
    } catch (err) {
      return Promise.resolve(this.#degrade('set', key, err, false));
    }
    return pending.then(
      () => {
        this.#hot(key).setOk.inc();
        if (this.#debug()) this.#logger.debug({ key, ttl: ttlSeconds ?? null }, 'Cache set');
        return true;
      },
      (err: unknown) => this.#degrade('set', key, err, false),
    );
  }

  async delete(key: string): Promise<boolean> {
    try {
      const deleted = (await this.#store.delete([key])) > 0;
      this.#count('delete', 'ok', key);
      return deleted;
    } catch (err) {
      return this.#degrade('delete', key, err, false);
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      const found = await this.#store.exists(key);
      this.#count('exists', 'ok', key);
      return found;
    } catch (err) {
      return this.#degrade('exists', key, err, false);
    }
  }

  /** Sets a key's TTL; false when the key is missing (or the store is down). */
  async expire(key: string, ttlSeconds: number): Promise<boolean> {
    assertTtl(ttlSeconds);
    try {
      const found = await this.#store.expire(key, ttlSeconds);
      this.#count('expire', 'ok', key);
      return found;
    } catch (err) {
      return this.#degrade('expire', key, err, false);
    }
  }

  /** Seconds left: -1 when the key never expires, -2 when it is missing (or the store is down). */
  async ttl(key: string): Promise<number> {
    try {
      const seconds = await this.#store.ttl(key);
      this.#count('ttl', 'ok', key);
      return seconds;
    } catch (err) {
      return this.#degrade('ttl', key, err, -2);
    }
  }

  /** Adds `amount` to an integer counter, starting from 0; null when the store fails or the value is no integer. */
  async increment(key: string, amount = 1): Promise<number | null> {
    if (!Number.isSafeInteger(amount)) {
      throw new ValidationError(`amount must be a whole number (got ${String(amount)})`, 'amount');
    }
    try {
      const value = await this.#store.incrBy(key, amount);
      this.#count('increment', 'ok', key);
      return value;
    } catch (err) {
      return this.#degrade('increment', key, err, null);
    }
  }

  /** Writes every value, each with the TTL when given, in one atomic step: all or nothing. */
  async setMany(values: Record<string, unknown>, ttlSeconds?: number): Promise<boolean> {
    if (ttlSeconds !== undefined) assertTtl(ttlSeconds);
    const keys = Object.keys(values);
    let entries: Array<[string, string]>;
    try {
      entries = keys.map((key) => [key, encodeJson(values[key])]);
    } catch (err) {
      this.#logger.error({ keys: keys.length, err: (err as Error).message }, 'Cache value is not JSON; nothing stored');
      this.#count('setMany', 'invalid', keys[0]);
      return false;
    }
    try {
      await this.#store.setMany(entries, ttlSeconds);
      this.#logger.debug({ keys: entries.length, ttl: ttlSeconds ?? null }, 'Cache set');
      this.#count('setMany', 'ok', keys[0]);
      return true;
    } catch (err) {
      return this.#degrade('setMany', `${keys.length} keys`, err, false, keys[0]);
    }
  }

  /** The keys that were found, with their values; missing keys are simply absent. */
  async getMany<T = unknown>(keys: string[]): Promise<Record<string, T>> {
    try {
      const found: Record<string, T> = {};
      let hits = 0;
      // A value that is not JSON (written by someone else, or corrupted) is left out and counted as a decode
      // problem; the others are still answered, as the original did.
      let unreadable = 0;
      if (this.#store.getManyDecoded !== undefined) {
        // Through the client cache: values shared and frozen, as get's.
        const values = await this.#store.getManyDecoded(keys, decodeOrMark as (text: string) => T | typeof UNREADABLE);
        values.forEach((value, i) => {
          if (value === undefined) return;
          if (value === UNREADABLE) {
            unreadable++;
            this.#undecodable('getMany', keys[i]!, new SyntaxError('not JSON'));
            return;
          }
          found[keys[i]!] = value as T;
          hits++;
        });
        this.#countMany(keys, hits, unreadable);
        return found;
      }
      const raw = await this.#store.getMany(keys);
      raw.forEach((text, i) => {
        if (text === null) return;
        try {
          found[keys[i]!] = JSON.parse(text) as T;
          hits++;
        } catch (err) {
          unreadable++;
          this.#undecodable('getMany', keys[i]!, err);
        }
      });
      this.#countMany(keys, hits, unreadable);
      return found;
    } catch (err) {
      return this.#degrade('getMany', `${keys.length} keys`, err, {} as Record<string, T>, keys[0]);
    }
  }

  /**
   * Deletes every key matching a glob pattern inside one namespace (`remembr:<namespace>:…`), walking with SCAN
   * and removing each batch with UNLINK, so Redis never blocks on one huge command. Returns how many it removed.
   */
  async deletePattern(pattern: string): Promise<number> {
    assertScopedPattern(pattern);
    let deleted = 0;
    try {
      for await (const batch of this.#store.scan(pattern, this.#scanBatchSize)) {
        deleted += await this.#store.delete(batch);
      }
      this.#logger.debug({ pattern, deleted }, 'Cache pattern deleted');
      this.#count('deletePattern', 'ok', pattern);
      return deleted;
    } catch (err) {
      this.#logger.error({ pattern, deletedBeforeFailure: deleted }, 'Pattern delete stopped part way');
      return this.#degrade('deletePattern', pattern, err, 0);
    }
  }

  /**
   * Cache-aside: the cached value, or the loader's result stored with `ttlSeconds`. Concurrent misses for one key
   * in this process share a single loader call. When the store is down the loader still answers; its error is
   * passed to every waiter and nothing is cached.
   */
  async getOrSet<T>(key: string, loader: () => Promise<T>, ttlSeconds: number): Promise<T> {
    assertTtl(ttlSeconds);
    const inFlight = this.#loading.get(key);
    if (inFlight) return inFlight as Promise<T>;
    const load = (async () => {
      const cached = await this.get<T>(key);
      if (cached !== null) return cached;
      const value = await loader();
      await this.set(key, value, ttlSeconds);
      return value;
    })();
    this.#loading.set(key, load);
    try {
      return await load;
    } finally {
      this.#loading.delete(key);
    }
  }

  readonly #operations: CounterFamily;
  /**
   * Counter handles by operation, outcome and namespace, made once per series so no label lookup runs per count.
   * The namespace is the key's first part after `remembr:`: chosen by code (makeKey), never an id; past
   * MAX_NAMESPACES distinct ones the rest count as `other`, so a caller passing odd keys cannot grow the series.
   */
  readonly #counters = new Map<string, Counter>();
  /** get and set count on every call: their handles per namespace are one map lookup away. */
  readonly #hotByNamespace = new Map<string, HotCounters>();
  readonly #namespaces = new Set<string>();

  /** Debug lines cost an object per call even when pino drops them: build them only when they will be written. */
  #debug(): boolean {
    return this.#logger.isLevelEnabled('debug');
  }

  /**
   * The last namespaces get and set counted in, by their key prefix (`remembr:<namespace>:`): a key that starts
   * with one finds its handles by one startsWith, without cutting its namespace out and looking it up.
   */
  readonly #recent: Array<{ prefix: string; hot: HotCounters }> = [];

  #hot(key: string): HotCounters {
    const recent = this.#recent;
    for (let i = 0; i < recent.length; i++) if (key.startsWith(recent[i]!.prefix)) return recent[i]!.hot;
    const namespace = this.#namespaceOf(key);
    let hot = this.#hotByNamespace.get(namespace);
    if (hot === undefined) {
      hot = { getHit: this.#counter('get', 'hit', namespace), getMiss: this.#counter('get', 'miss', namespace), setOk: this.#counter('set', 'ok', namespace) };
      this.#hotByNamespace.set(namespace, hot);
    }
    // Only a namespace of its own: `none` and `other` gather keys with no common prefix.
    if (key.startsWith(`${NAMESPACED}${namespace}:`)) {
      if (recent.length === RECENT_NAMESPACES) recent.pop();
      recent.unshift({ prefix: `${NAMESPACED}${namespace}:`, hot });
    }
    return hot;
  }

  #counter(operation: string, outcome: string, namespace: string): Counter {
    const id = `${operation}\u0001${outcome}\u0001${namespace}`;
    let counter = this.#counters.get(id);
    if (counter === undefined) {
      counter = this.#operations.labels(operation, outcome, namespace);
      this.#counters.set(id, counter);
    }
    return counter;
  }

  #count(operation: string, outcome: string, key: string | undefined, by = 1): void {
    this.#counter(operation, outcome, this.#namespaceOf(key)).inc(by);
  }

  #namespaceOf(key: string | undefined): string {
    if (key === undefined || !key.startsWith(NAMESPACED)) return 'none';
    const end = key.indexOf(':', NAMESPACED.length);
    const namespace = end < 0 ? key.slice(NAMESPACED.length) : key.slice(NAMESPACED.length, end);
    if (this.#namespaces.has(namespace)) return namespace;
    if (!NAMESPACE.test(namespace) || this.#namespaces.size >= MAX_NAMESPACES) return 'other';
    this.#namespaces.add(namespace);
    return namespace;
  }

  #degrade<T>(operation: string, key: string, err: unknown, fallback: T, namespaceKey: string | undefined = key): T {
    this.#count(operation, 'error', namespaceKey);
    this.#metrics.increment('remembr_cache_errors_total', { operation }, 1, 'Cache operations that failed and degraded');
    this.#logger.error({ key, operation, err: (err as Error)?.message ?? String(err) }, 'Cache operation failed');
    return fallback;
  }
}
