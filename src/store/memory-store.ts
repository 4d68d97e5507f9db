import { MemoryDb } from './memory-db.js';
import type { Reply, Script, Store } from './port.js';

/**
 * The embedded store: Remembr's data in this process, for running without Redis (local use and tests).
 * Same semantics as RedisStore — TTLs, counters, patterns, atomic scripts — but nothing survives a restart and
 * nothing is shared between processes.
 */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  readonly db: MemoryDb;
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: { clock?: () => number } = {}) {
    this.db = new MemoryDb(options.clock);
    // Expired keys that nobody reads again would otherwise stay in memory for good.
    this.#sweeper = setInterval(() => this.db.sweep(), 1000);
    this.#sweeper.unref();
  }

  async get(key: string): Promise<string | null> {
    return this.db.getString(key);
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    this.db.setString(key, value, ttlSeconds === undefined ? undefined : ttlSeconds * 1000);
  }

  async delete(keys: string[]): Promise<number> {
    return keys.filter((key) => this.db.del(key)).length;
  }

  async exists(key: string): Promise<boolean> {
    return this.db.exists(key);
  }

  async expire(key: string, ttlSeconds: number): Promise<boolean> {
    return this.db.pexpire(key, ttlSeconds * 1000);
  }

  async ttl(key: string): Promise<number> {
    const ms = this.db.pttl(key);
    // Redis rounds the remaining time to the nearest second.
    return ms < 0 ? ms : Math.round(ms / 1000);
  }

  async incrBy(key: string, amount: number): Promise<number> {
    return this.db.incrBy(key, amount);
  }

  async getDel(key: string): Promise<string | null> {
    const value = this.db.getString(key);
    if (value !== null) this.db.del(key);
    return value;
  }

  async setMany(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds?: number): Promise<void> {
    for (const [key, value] of entries) {
      this.db.setString(key, value, ttlSeconds === undefined ? undefined : ttlSeconds * 1000);
    }
  }

  async getMany(keys: string[]): Promise<Array<string | null>> {
    return keys.map((key) => this.db.getString(key));
  }

  async *scan(pattern: string, batchSize: number): AsyncIterable<string[]> {
    let batch: string[] = [];
    for (const key of this.db.keys(pattern)) {
      batch.push(key);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  async run(script: Script, keys: string[], args: Array<string | number>): Promise<Reply> {
    // Lua sees every ARGV as a string; so does the twin.
    return script.local(this.db, keys, args.map(String));
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
  }
}
