import type { Reply, Script, ServerInfo, Store, StoreKind } from '../store/port.js';
import { getWithTtlScript } from '../store/store-scripts.js';
import { currentCharge } from './charge.js';

/**
 * The store as a request with a pending rate-limit charge sees it (see charge.ts): a script whose keys share the
 * charge's slot carries the charge, every other call waits for the charge's decision first. Outside a charged
 * request, and once the charge allowed, every call goes straight to the wrapped store (one AsyncLocalStorage
 * lookup and a branch). Works over any store: the memory store runs the composed script's JavaScript twin.
 */
export class ChargedStore implements Store {
  readonly kind: StoreKind;
  readonly #inner: Store;
  /** The wrapped store answers getWithTtl from its client cache: carrying a charge would send it to Redis. */
  readonly #cachedReads: boolean;
  readonly serverInfo?: (section?: string) => Promise<ServerInfo[]>;
  readonly openConnections?: () => number;
  readonly getDecoded?: <T>(key: string, decode: (text: string) => T) => Promise<T | undefined>;
  readonly getManyDecoded?: <T>(keys: string[], decode: (text: string) => T) => Promise<Array<T | undefined>>;

  constructor(inner: Store) {
    this.#inner = inner;
    this.kind = inner.kind;
    this.#cachedReads = inner.getDecoded !== undefined;
    // Only what the wrapped store has (callers look for these).
    if (inner.serverInfo) this.serverInfo = (section) => inner.serverInfo!(section);
    if (inner.openConnections) this.openConnections = () => inner.openConnections!();
    if (inner.getDecoded) this.getDecoded = (key, decode) => cleared(() => inner.getDecoded!(key, decode));
    if (inner.getManyDecoded) this.getManyDecoded = (keys, decode) => cleared(() => inner.getManyDecoded!(keys, decode));
  }

  get(key: string): Promise<string | null> {
    return currentCharge() === undefined ? this.#inner.get(key) : cleared(() => this.#inner.get(key));
  }

  set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    return currentCharge() === undefined ? this.#inner.set(key, value, ttlSeconds) : cleared(() => this.#inner.set(key, value, ttlSeconds));
  }

  delete(keys: string[]): Promise<number> {
    return currentCharge() === undefined ? this.#inner.delete(keys) : cleared(() => this.#inner.delete(keys));
  }

  exists(key: string): Promise<boolean> {
    return currentCharge() === undefined ? this.#inner.exists(key) : cleared(() => this.#inner.exists(key));
  }

  expire(key: string, ttlSeconds: number): Promise<boolean> {
    return currentCharge() === undefined ? this.#inner.expire(key, ttlSeconds) : cleared(() => this.#inner.expire(key, ttlSeconds));
  }

  ttl(key: string): Promise<number> {
    return currentCharge() === undefined ? this.#inner.ttl(key) : cleared(() => this.#inner.ttl(key));
  }

  incrBy(key: string, amount: number): Promise<number> {
    return currentCharge() === undefined ? this.#inner.incrBy(key, amount) : cleared(() => this.#inner.incrBy(key, amount));
  }

  getDel(key: string): Promise<string | null> {
    return currentCharge() === undefined ? this.#inner.getDel(key) : cleared(() => this.#inner.getDel(key));
  }

  setMany(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds?: number): Promise<void> {
    return currentCharge() === undefined ? this.#inner.setMany(entries, ttlSeconds) : cleared(() => this.#inner.setMany(entries, ttlSeconds));
  }

  getMany(keys: string[]): Promise<Array<string | null>> {
    return currentCharge() === undefined ? this.#inner.getMany(keys) : cleared(() => this.#inner.getMany(keys));
  }

  async *scan(pattern: string, batchSize: number): AsyncIterable<string[]> {
    await currentCharge()?.clearance();
    yield* this.#inner.scan(pattern, batchSize);
  }

  run(script: Script, keys: string[], args: Array<string | number>): Promise<Reply> {
    const charge = currentCharge();
    if (charge === undefined) return this.#inner.run(script, keys, args);
    // A read the client cache can answer costs no round trip: the check goes on its own instead.
    if (this.#cachedReads && script === getWithTtlScript) return cleared(() => this.#inner.run(script, keys, args));
    return charge.carry(this.#inner, script, keys, args);
  }

  /** Not an operation of the request: never held for a charge. */
  ping(): Promise<void> {
    return this.#inner.ping();
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}

/** `call` now, or once the request's charge allows it (rejecting with the refusal when it does not). */
function cleared<T>(call: () => Promise<T>): Promise<T> {
  const wait = currentCharge()?.clearance();
  return wait === undefined ? call() : wait.then(call);
}
