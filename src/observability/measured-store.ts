import { performance } from 'node:perf_hooks';
import { StoreError } from '../errors.js';
import type { CallTiming, Reply, Script, ServerInfo, Store, StoreKind } from '../store/port.js';
import { STORE_LATENCY_BUCKETS, type CounterFamily, type Metrics, type Observer } from './metrics.js';

/** Why a store call failed, as an operator sorts it: each kind has its own fix. */
export type FailureKind = 'timeout' | 'connection' | 'out_of_memory' | 'other';

/**
 * Sorts a store failure by kind. No answer within the deadline is a timeout (an OutcomeUnknownError, or a
 * StoreUnavailableError when the command was never written); Redis refusing a write at maxmemory is out of
 * memory; any other StoreError is the connection (refused, lost, not connected); anything else (a script bug,
 * a wrong type) is other.
 */
export function failureKind(err: unknown): FailureKind {
  const message = err instanceof Error ? err.message : String(err);
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  const causeMessage = cause instanceof Error ? cause.message : '';
  if (/^OOM\b/.test(causeMessage) || /\bOOM\b/.test(message)) return 'out_of_memory';
  if (!(err instanceof StoreError)) return 'other';
  return /no answer within/.test(message) || /no answer within/.test(causeMessage) ? 'timeout' : 'connection';
}

const OPERATIONS = ['get', 'set', 'delete', 'exists', 'expire', 'ttl', 'incrBy', 'getDel', 'setMany', 'getMany', 'scan', 'ping'] as const;
type Operation = (typeof OPERATIONS)[number];

/**
 * A Store that times every call and counts its failures by kind, then hands it to the store it wraps. The
 * services Remembr builds run on it; `remembr.store` stays the raw store, for direct access.
 */
export class MeasuredStore implements Store {
  readonly kind: StoreKind;
  readonly #inner: Store;
  readonly #latency: Record<Operation, Observer>;
  readonly #scripts = new Map<string, Observer>();
  readonly #latencyFamily;
  readonly #failures: CounterFamily;
  readonly serverInfo?: (section?: string) => Promise<ServerInfo[]>;
  readonly openConnections?: () => number;
  readonly getDecoded?: <T>(key: string, decode: (text: string) => T) => Promise<T | undefined>;
  readonly getManyDecoded?: <T>(keys: string[], decode: (text: string) => T) => Promise<Array<T | undefined>>;

  constructor(inner: Store, metrics: Metrics) {
    this.#inner = inner;
    this.kind = inner.kind;
    // Only what the wrapped store has: the memory store has no INFO, and callers look for that.
    if (inner.serverInfo) this.serverInfo = (section) => inner.serverInfo!(section);
    if (inner.openConnections) this.openConnections = () => inner.openConnections!();
    // The client cache's reads (RedisStore with clientCache), timed as the get and getMany they stand for.
    if (inner.getDecoded) this.getDecoded = (key, decode) => this.#measure('get', () => inner.getDecoded!(key, decode));
    if (inner.getManyDecoded) this.getManyDecoded = (keys, decode) => this.#measure('getMany', () => inner.getManyDecoded!(keys, decode));
    this.#latencyFamily = metrics.histogramFamily(
      'remembr_store_command_duration_seconds',
      'Store command latency by operation (a script is named script:<name>), failures included',
      ['store', 'operation'],
      STORE_LATENCY_BUCKETS,
    );
    this.#failures = metrics.counterFamily('remembr_store_failures_total', 'Store calls that failed, by kind', ['store', 'operation', 'kind']);
    this.#latency = Object.fromEntries(OPERATIONS.map((op) => [op, this.#latencyFamily.labels(inner.kind, op)])) as Record<Operation, Observer>;
    // The hot pair, timed by the store itself where it can (RedisStore, inside the deadline bookkeeping that reads
    // the clock anyway): every call is still observed and every failure counted, into the same series, without a
    // promise and two clock reads of this wrapper's own around each call.
    const own = inner.timedCalls?.({ get: this.#timing('get', this.#latency.get), set: this.#timing('set', this.#latency.set), script: (name) => this.#scriptTiming(name) }) ?? {};
    if (own.get) this.get = own.get;
    if (own.set) this.set = own.set;
    if (own.run) this.run = own.run;
  }

  #timing(operation: string, observer: Observer): CallTiming {
    return {
      observe: (seconds) => observer.observe(seconds),
      failed: (seconds, err) => {
        observer.observe(seconds);
        this.#failures.labels(this.kind, operation, failureKind(err)).inc();
      },
    };
  }

  /** The series of one script (`script:<name>`), bound on its first call. */
  #scriptObserver(name: string): Observer {
    let observer = this.#scripts.get(name);
    if (observer === undefined) {
      observer = this.#latencyFamily.labels(this.kind, `script:${name}`);
      this.#scripts.set(name, observer);
    }
    return observer;
  }

  readonly #scriptTimings = new Map<string, CallTiming>();

  #scriptTiming(name: string): CallTiming {
    let timing = this.#scriptTimings.get(name);
    if (timing === undefined) {
      timing = this.#timing(`script:${name}`, this.#scriptObserver(name));
      this.#scriptTimings.set(name, timing);
    }
    return timing;
  }

  /** The store it measures. */
  get inner(): Store {
    return this.#inner;
  }

  #measure<T>(operation: Operation, call: () => Promise<T>): Promise<T> {
    return this.#timed(operation, this.#latency[operation], call);
  }

  #timed<T>(operation: string, observer: Observer, call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let pending: Promise<T>;
    try {
      pending = call();
    } catch (err) {
      pending = Promise.reject(err);
    }
    return pending.then(
      (value) => {
        observer.observe((performance.now() - started) / 1000);
        return value;
      },
      (err: unknown) => {
        observer.observe((performance.now() - started) / 1000);
        this.#failures.labels(this.kind, operation, failureKind(err)).inc();
        throw err;
      },
    );
  }

  get(key: string): Promise<string | null> {
    return this.#measure('get', () => this.#inner.get(key));
  }

  set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    return this.#measure('set', () => this.#inner.set(key, value, ttlSeconds));
  }

  delete(keys: string[]): Promise<number> {
    return this.#measure('delete', () => this.#inner.delete(keys));
  }

  exists(key: string): Promise<boolean> {
    return this.#measure('exists', () => this.#inner.exists(key));
  }

  expire(key: string, ttlSeconds: number): Promise<boolean> {
    return this.#measure('expire', () => this.#inner.expire(key, ttlSeconds));
  }

  ttl(key: string): Promise<number> {
    return this.#measure('ttl', () => this.#inner.ttl(key));
  }

  incrBy(key: string, amount: number): Promise<number> {
    return this.#measure('incrBy', () => this.#inner.incrBy(key, amount));
  }

  getDel(key: string): Promise<string | null> {
    return this.#measure('getDel', () => this.#inner.getDel(key));
  }

  setMany(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds?: number): Promise<void> {
    return this.#measure('setMany', () => this.#inner.setMany(entries, ttlSeconds));
  }

  getMany(keys: string[]): Promise<Array<string | null>> {
    return this.#measure('getMany', () => this.#inner.getMany(keys));
  }

  /** Each SCAN step is one timed call. */
  async *scan(pattern: string, batchSize: number): AsyncIterable<string[]> {
    const iterator = this.#inner.scan(pattern, batchSize)[Symbol.asyncIterator]();
    for (;;) {
      const step = await this.#measure('scan', () => iterator.next());
      if (step.done) return;
      yield step.value;
    }
  }

  run(script: Script, keys: string[], args: Array<string | number>): Promise<Reply> {
    return this.#timed(`script:${script.name}`, this.#scriptObserver(script.name), () => this.#inner.run(script, keys, args));
  }

  ping(): Promise<void> {
    return this.#measure('ping', () => this.#inner.ping());
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

}
