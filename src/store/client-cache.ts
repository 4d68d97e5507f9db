import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { BasicClientSideCache } from 'redis';
import type { Counter, Metrics } from '../observability/metrics.js';

/** How large the client cache may grow and how long it may trust an entry. */
export interface ClientCacheOptions {
  /** Entries kept at most; past it the least recently used go first. @default 10000 */
  maxEntries: number;
  /** Approximate bytes kept at most (key and value lengths plus a fixed overhead per entry). @default 67108864 (64 MiB) */
  maxBytes: number;
  /**
   * Longest an entry is served without asking Redis again. Invalidations arrive on the connection that read the
   * key and the whole cache is dropped when a connection fails; this bounds the one case neither covers, a
   * connection that dies without a word (a network path that silently drops packets). @default 60000
   */
  maxAgeMs: number;
}

export const CLIENT_CACHE_DEFAULTS = {
  maxEntries: 10_000,
  maxBytes: 64 * 1024 * 1024,
  maxAgeMs: 60_000,
} satisfies ClientCacheOptions;

/** Bytes counted per entry on top of its key and value: the Map slot, the entry object and its fields. */
const ENTRY_OVERHEAD_BYTES = 96;

/** What one key read from Redis holds, as of the read. */
export interface CachedRead {
  /** The value, or null when the key was missing (a miss is cached too: Redis tracks a key read while missing). */
  readonly text: string | null;
  /** When the key expires in Redis (performance.now() clock), Infinity when it has no TTL. */
  readonly expiresAt: number;
}

interface Entry extends CachedRead {
  /** Past this it is not served: the key's expiry or maxAgeMs after the read, whichever comes first. */
  readonly staleAt: number;
  readonly bytes: number;
  /** The value decoded once by a caller (CacheService parses and freezes it), handed to every later hit. */
  decoded?: unknown;
}

/** A read in flight, from the moment it is sent: its result may be stored only if nothing voided it meanwhile. */
export interface Fill {
  readonly key: string;
  readonly epoch: number;
  /** When the read was sent: a TTL counted from here ends no later than the key does. */
  readonly sentAt: number;
}

/**
 * Server-assisted client-side caching (RESP3 `CLIENT TRACKING`): values this process read from Redis, kept in
 * process until Redis says they changed.
 *
 * Redis remembers every key a tracking connection read and pushes an `invalidate` message on that same connection
 * when any client changes it (a write, a delete, an expiry, an eviction, a flush). node-redis hands those messages,
 * and the loss of a connection, to a `clientSideCache` provider; `provider` is that hook, and this class holds the
 * entries. node-redis's own BasicClientSideCache is not used for the entries because it caches one reply per
 * argument list (an MGET of 100 keys is one entry), counts entries but not bytes, and structuredClones each hit.
 *
 * The rules that keep it correct:
 * - A read's reply is stored only if no invalidation of its key (or drop of the whole cache) arrived while it was
 *   in flight; otherwise the reply may predate a write and is handed to its caller but not kept.
 * - This process's own writes forget their keys when sent and again when answered, so a read that follows a write
 *   here never sees the value before it, whichever connection the two travelled on.
 * - A connection error, a close, a flush and any failed call drop every entry: invalidations may have been missed.
 * - An entry is never served past its key's TTL (read with it) nor longer than `maxAgeMs`.
 */
export class ClientCache extends EventEmitter<{ invalidate: [key: string | null] }> {
  readonly options: ClientCacheOptions;
  /** The provider node-redis calls: it turns tracking on at every (re)connect and passes invalidations here. */
  readonly provider: BasicClientSideCache;
  /** In least-recently-used order: a hit moves its entry to the end. */
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;
  /** Reads in flight per key, and the keys an invalidation reached while one was. */
  readonly #inFlight = new Map<string, number>();
  readonly #voided = new Set<string>();
  /** Bumped when the whole cache is dropped: fills begun before it are not stored. */
  #epoch = 0;
  readonly #hits: Counter;
  readonly #misses: Counter;
  readonly #invalidations: Counter;
  readonly #evictions: Counter;
  readonly #drops: Counter;

  constructor(options: Partial<ClientCacheOptions> = {}, metrics?: Metrics) {
    super();
    this.options = { ...CLIENT_CACHE_DEFAULTS, ...options };
    const counter = (name: string, labels: Record<string, string>, help: string): Counter =>
      metrics?.counter(name, labels, help) ?? { inc: () => {} };
    const lookups = 'Client cache lookups by outcome: a hit never reached Redis';
    this.#hits = counter('remembr_client_cache_lookups_total', { outcome: 'hit' }, lookups);
    this.#misses = counter('remembr_client_cache_lookups_total', { outcome: 'miss' }, lookups);
    this.#invalidations = counter('remembr_client_cache_invalidations_total', {}, 'Cached (or being read) keys that Redis said changed: each removed an entry or kept a reply from being stored');
    this.#evictions = counter('remembr_client_cache_evictions_total', {}, 'Entries evicted to stay within maxEntries and maxBytes');
    this.#drops = counter('remembr_client_cache_drops_total', {}, 'Times the whole client cache was dropped (connection lost, closed, flushed, a failed call)');
    this.provider = new TrackingHook(this);
  }

  /** Entries held now. */
  get size(): number {
    return this.#entries.size;
  }

  /** Approximate bytes held now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** A fresh entry for `key`, counted as a hit, or undefined (counted as a miss). */
  lookup(key: string, now = performance.now()): (CachedRead & { decoded?: unknown }) | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      if (now < entry.staleAt) {
        this.#entries.delete(key);
        this.#entries.set(key, entry);
        this.#hits.inc();
        return entry;
      }
      this.#remove(key, entry);
    }
    this.#misses.inc();
    return undefined;
  }

  /** Keeps what a caller decoded from an entry's text, for the next hits of the same entry. */
  remember(key: string, read: CachedRead, decoded: unknown): void {
    const entry = this.#entries.get(key);
    if (entry === read) entry.decoded = decoded;
  }

  /** Call before sending a read of `key` whose reply may be stored. */
  begin(key: string, sentAt = performance.now()): Fill {
    this.#inFlight.set(key, (this.#inFlight.get(key) ?? 0) + 1);
    return { key, epoch: this.#epoch, sentAt };
  }

  /**
   * The read's reply: `pttl` as PTTL answers (-1 no TTL, -2 missing). Stores it unless it was voided; returns the
   * entry it stored, or undefined.
   */
  complete(fill: Fill, text: string | null, pttl: number): CachedRead | undefined {
    const keep = this.#end(fill);
    if (!keep) return undefined;
    const expiresAt = pttl >= 0 ? fill.sentAt + pttl : Number.POSITIVE_INFINITY;
    const bytes = ENTRY_OVERHEAD_BYTES + fill.key.length + (text?.length ?? 0);
    if (bytes > this.options.maxBytes || this.options.maxEntries <= 0) return undefined;
    const entry: Entry = { text, expiresAt, staleAt: Math.min(expiresAt, fill.sentAt + this.options.maxAgeMs), bytes };
    const previous = this.#entries.get(fill.key);
    if (previous !== undefined) this.#remove(fill.key, previous);
    this.#entries.set(fill.key, entry);
    this.#bytes += bytes;
    this.#evictToBounds();
    return entry;
  }

  /** The read failed: nothing to store. */
  fail(fill: Fill): void {
    this.#end(fill);
  }

  /** This process writes `keys`: forget them, and void reads of them in flight. */
  forget(keys: readonly string[]): void {
    for (const key of keys) this.#void(key);
  }

  /** Redis says `key` changed (null: everything, after a FLUSHALL or a tracking table overflow). */
  invalidate(key: string | null): void {
    if (key === null) {
      this.drop();
    } else if (this.#void(key)) {
      this.#invalidations.inc();
    }
    this.emit('invalidate', key);
  }

  /** Drops every entry and voids every read in flight: after this, nothing read before is served. */
  drop(): void {
    this.#epoch++;
    if (this.#entries.size > 0) this.#drops.inc();
    this.#entries.clear();
    this.#bytes = 0;
    this.#voided.clear();
  }

  /** True when there was something to forget: an entry, or a read in flight. */
  #void(key: string): boolean {
    const entry = this.#entries.get(key);
    if (entry !== undefined) this.#remove(key, entry);
    const reading = this.#inFlight.has(key);
    if (reading) this.#voided.add(key);
    return entry !== undefined || reading;
  }

  /** True when the fill may be stored. */
  #end(fill: Fill): boolean {
    const left = (this.#inFlight.get(fill.key) ?? 1) - 1;
    const voided = this.#voided.has(fill.key);
    if (left === 0) {
      this.#inFlight.delete(fill.key);
      this.#voided.delete(fill.key);
    } else {
      this.#inFlight.set(fill.key, left);
    }
    return !voided && fill.epoch === this.#epoch;
  }

  #remove(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  #evictToBounds(): void {
    const { maxEntries, maxBytes } = this.options;
    while (this.#entries.size > maxEntries || this.#bytes > maxBytes) {
      const oldest = this.#entries.entries().next();
      if (oldest.done) break;
      this.#remove(oldest.value[0], oldest.value[1]);
      this.#evictions.inc();
    }
  }
}

/**
 * The `clientSideCache` provider node-redis talks to. node-redis only accepts an instance of its own provider
 * class, and exports BasicClientSideCache as the one to extend; every method it calls is overridden here, so
 * BasicClientSideCache's own entries stay empty. Remembr sends its cached reads with `sendCommand`, which node-redis
 * never routes through `handleCache`; a typed command that is (MGET, EXISTS…) passes straight through.
 */
class TrackingHook extends BasicClientSideCache {
  readonly #cache: ClientCache;

  constructor(cache: ClientCache) {
    super({ maxEntries: 1, recordStats: false });
    this.#cache = cache;
  }

  override async handleCache(...[, parser, fn, transformReply, typeMapping]: Parameters<BasicClientSideCache['handleCache']>): Promise<unknown> {
    const reply = await fn();
    return transformReply ? transformReply(reply, parser.preserve, typeMapping) : reply;
  }

  override trackingOn(): string[] {
    return ['CLIENT', 'TRACKING', 'ON'];
  }

  override invalidate(key: Parameters<BasicClientSideCache['invalidate']>[0]): void {
    this.#cache.invalidate(key === null ? null : key.toString());
  }

  override clear(): void {
    this.#cache.drop();
  }

  override size(): number {
    return this.#cache.size;
  }

  override onError(): void {
    this.#cache.drop();
  }

  override onClose(): void {
    this.#cache.drop();
  }
}
