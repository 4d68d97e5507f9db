import { silentLogger, type Logger } from '../observability/logger.js';
import { Metrics, type Counter } from '../observability/metrics.js';
import { ValidationError } from '../errors.js';
import { assertScopedPattern } from '../keys.js';
import type { Store } from '../store/port.js';
import { encodeJson } from './json.js';

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
    this.#scanBatchSize = options.scanBatchSize ?? 500;
    this.#getHit = this.#counter('get', 'hit');
    this.#getMiss = this.#counter('get', 'miss');
    this.#setOk = this.#counter('set', 'ok');
  }

  /**
   * The hot path, written without async functions: one `then` on the store's promise instead of an async frame
   * awaiting another (measured in BENCHMARKS.md, "JSON get"). Every outcome is still counted and a failure still
   * degrades to null.
   */
  get<T = unknown>(key: string): Promise<T | null> {
    let pending: Promise<string | null>;
    try {
      pending = this.#store.get(key);
    } catch (err) {
      return Promise.resolve(this.#degrade('get', key, err, null));
    }
    return pending.then(
      (raw) => {
        if (raw === null) {
          this.#getMiss.inc();
          if (this.#debug()) this.#logger.debug({ key }, 'Cache miss');
          return null;
        }
        let value: T;
        try {
          value = JSON.parse(raw) as T;
        } catch (err) {
          // Not written by Remembr (or corrupted): as unusable as a failed read, and counted as one.
          return this.#degrade('get', key, err, null);
        }
        this.#getHit.inc();
        if (this.#debug()) this.#logger.debug({ key }, 'Cache hit');
        return value;
      },
      (err: unknown) => this.#degrade('get', key, err, null),
    );
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
      this.#count('set', 'invalid');
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
        this.#setOk.inc();
        if (this.#debug()) this.#logger.debug({ key, ttl: ttlSeconds ?? null }, 'Cache set');
        return true;
      },
      (err: unknown) => this.#degrade('set', key, err, false),
    );
  }

  async delete(key: string): Promise<boolean> {
    try {
      return (await this.#store.delete([key])) > 0;
    } catch (err) {
      return this.#degrade('delete', key, err, false);
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return await this.#store.exists(key);
    } catch (err) {
      return this.#degrade('exists', key, err, false);
    }
  }

  /** Sets a key's TTL; false when the key is missing (or the store is down). */
  async expire(key: string, ttlSeconds: number): Promise<boolean> {
    assertTtl(ttlSeconds);
    try {
      return await this.#store.expire(key, ttlSeconds);
    } catch (err) {
      return this.#degrade('expire', key, err, false);
    }
  }

  /** Seconds left: -1 when the key never expires, -2 when it is missing (or the store is down). */
  async ttl(key: string): Promise<number> {
    try {
      return await this.#store.ttl(key);
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
      return await this.#store.incrBy(key, amount);
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
      this.#count('setMany', 'invalid');
      return false;
    }
    try {
      await this.#store.setMany(entries, ttlSeconds);
      this.#logger.debug({ keys: entries.length, ttl: ttlSeconds ?? null }, 'Cache set');
      return true;
    } catch (err) {
      return this.#degrade('setMany', `${keys.length} keys`, err, false);
    }
  }

  /** The keys that were found, with their values; missing keys are simply absent. */
  async getMany<T = unknown>(keys: string[]): Promise<Record<string, T>> {
    try {
      const raw = await this.#store.getMany(keys);
      const found: Record<string, T> = {};
      raw.forEach((text, i) => {
        if (text !== null) found[keys[i]!] = JSON.parse(text) as T;
      });
      return found;
    } catch (err) {
      return this.#degrade('getMany', `${keys.length} keys`, err, {} as Record<string, T>);
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

  /** Counter handles by operation and outcome, made once per series so no label lookup runs per count. */
  readonly #counters = new Map<string, Counter>();
  /** get and set count on every call: their handles are fields, not even a map lookup away. */
  readonly #getHit: Counter;
  readonly #getMiss: Counter;
  readonly #setOk: Counter;

  /** Debug lines cost an object per call even when pino drops them: build them only when they will be written. */
  #debug(): boolean {
    return this.#logger.isLevelEnabled('debug');
  }

  #counter(operation: string, outcome: string): Counter {
    const id = `${operation}/${outcome}`;
    let counter = this.#counters.get(id);
    if (counter === undefined) {
      counter = this.#metrics.counter('remembr_cache_operations_total', { operation, outcome }, 'Cache operations by outcome');
      this.#counters.set(id, counter);
    }
    return counter;
  }

  #count(operation: string, outcome: string): void {
    this.#counter(operation, outcome).inc();
  }

  #degrade<T>(operation: string, key: string, err: unknown, fallback: T): T {
    this.#count(operation, 'error');
    this.#metrics.increment('remembr_cache_errors_total', { operation }, 1, 'Cache operations that failed and degraded');
    this.#logger.error({ key, operation, err: (err as Error)?.message ?? String(err) }, 'Cache operation failed');
    return fallback;
  }
}
