import { readFileSync } from 'node:fs';
import { createClient, ErrorReply, type RedisClientType } from 'redis';
import type { Logger } from 'pino';
import { describeRedisUrl } from '../config.js';
import { StoreUnavailableError } from '../errors.js';
import type { Reply, Script, Store } from './port.js';

export interface RedisStoreOptions {
  url: string;
  /** How many connections to open; each one multiplexes (pipelines) every command given to it. */
  connections: number;
  /** A command that takes longer fails with StoreUnavailableError. */
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  /** PEM file of a CA to trust (self-signed `rediss://` servers). */
  tlsCaFile?: string;
  /** Accept a server certificate nobody vouches for. */
  tlsInsecure?: boolean;
  logger: Logger;
}

export type RedisConnection = RedisClientType;

/** Redis answers these while it cannot take a command; anything else in an error reply is a bug of ours. */
const OUTAGE_REPLIES = /^(OOM|LOADING|BUSY|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|MISCONF|NOREPLICAS)\b/;

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
  readonly #commandTimeoutMs: number;
  #connecting: Promise<unknown> | undefined;
  /** Whether the last thing heard from Redis was a failure: one log line per outage and one per recovery. */
  #down = false;
  #closing = false;

  constructor(options: RedisStoreOptions) {
    this.#logger = options.logger;
    this.#where = describeRedisUrl(options.url);
    this.#commandTimeoutMs = options.commandTimeoutMs;
    const secure = options.url.startsWith('rediss:');
    const connect = () =>
      createClient({
        url: options.url,
        disableOfflineQueue: true,
        // Remembr bounds every call itself (#call), which also covers a command already on the wire.
        commandOptions: { timeout: 0 },
        socket: {
          connectTimeout: options.connectTimeoutMs,
          // Quick first retries so a blip heals fast, then once a second while Redis stays away.
          reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000),
          ...(secure
            ? {
                tls: true as const,
                ca: options.tlsCaFile ? readFileSync(options.tlsCaFile) : undefined,
                rejectUnauthorized: !options.tlsInsecure,
              }
            : {}),
        },
      }) as unknown as RedisConnection;
    this.#connections = Array.from({ length: Math.max(1, options.connections) }, connect);
    for (const connection of this.#connections) {
      // node-redis reports every failed reconnect here; #markDown logs once per outage.
      connection.on('error', (err: Error) => this.#markDown(err));
      connection.on('ready', () => this.#markUp());
    }
  }

  /** One of the connections, for direct access to commands Remembr does not wrap. */
  get client(): RedisConnection {
    return this.#pick();
  }

  #pick(): RedisConnection {
    const connection = this.#connections[this.#next]!;
    this.#next = (this.#next + 1) % this.#connections.length;
    return connection;
  }

  #markDown(err: unknown): void {
    if (!this.#down && !this.#closing) this.#logger.warn({ redis: this.#where, err: safeMessage(err) }, 'Redis connection lost');
    this.#down = true;
  }

  #markUp(): void {
    if (this.#down) this.#logger.info({ redis: this.#where }, 'Redis connection restored');
    this.#down = false;
  }

  /**
   * Starts connecting and waits at most `waitMs` for it. Never rejects: a Redis that is down at start leaves the
   * store degraded (commands fail fast) while the connections keep trying in the background.
   */
  async connect(waitMs: number): Promise<boolean> {
    this.#connecting ??= Promise.all(this.#connections.map((connection) => connection.connect())).then(
      () => this.#markUp(),
      (err: unknown) => {
        // Closing a connection that never connected aborts its connection attempt: that is no failure worth a warning.
        if (!this.#closing) this.#logger.warn({ redis: this.#where, err: safeMessage(err) }, 'Redis connection failed');
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), waitMs);
    });
    const outcome = await Promise.race([this.#connecting, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.#logger.warn({ redis: this.#where }, 'Redis is not reachable yet; starting degraded and retrying in the background');
      return false;
    }
    return true;
  }

  get(key: string): Promise<string | null> {
    return this.#call((redis) => redis.get(key));
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    await this.#call((redis) =>
      ttlSeconds === undefined ? redis.set(key, value) : redis.set(key, value, { expiration: { type: 'EX', value: ttlSeconds } }),
    );
  }

  delete(keys: string[]): Promise<number> {
    if (keys.length === 0) return Promise.resolve(0);
    return this.#call((redis) => redis.unlink(keys));
  }

  async exists(key: string): Promise<boolean> {
    return (await this.#call((redis) => redis.exists(key))) === 1;
  }

  async expire(key: string, ttlSeconds: number): Promise<boolean> {
    return (await this.#call((redis) => redis.expire(key, ttlSeconds))) === 1;
  }

  ttl(key: string): Promise<number> {
    return this.#call((redis) => redis.ttl(key));
  }

  incrBy(key: string, amount: number): Promise<number> {
    return this.#call((redis) => redis.incrBy(key, amount));
  }

  getDel(key: string): Promise<string | null> {
    return this.#call((redis) => redis.getDel(key));
  }

  async setMany(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds?: number): Promise<void> {
    if (entries.length === 0) return;
    if (ttlSeconds === undefined) {
      await this.#call((redis) => redis.mSet(entries.map(([key, value]) => [key, value] as [string, string])));
      return;
    }
    // MULTI/EXEC: every value and its TTL land together, so no key is ever left without its expiry.
    await this.#call((redis) => {
      const multi = redis.multi();
      for (const [key, value] of entries) multi.addCommand(['SET', key, value, 'EX', String(ttlSeconds)]);
      return multi.exec();
    });
  }

  getMany(keys: string[]): Promise<Array<string | null>> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.#call((redis) => redis.mGet(keys));
  }

  async *scan(pattern: string, batchSize: number): AsyncIterable<string[]> {
    let cursor = '0';
    do {
      const reply = await this.#call((redis) => redis.scan(cursor, { MATCH: pattern, COUNT: batchSize }));
      cursor = String(reply.cursor);
      if (reply.keys.length > 0) yield reply.keys.map(String);
    } while (cursor !== '0');
  }

  async run(script: Script, keys: string[], args: Array<string | number>): Promise<Reply> {
    const tail = [String(keys.length), ...keys, ...args.map(String)];
    return this.#call(async (redis) => {
      try {
        return (await redis.sendCommand(['EVALSHA', script.sha, ...tail])) as unknown as Reply;
      } catch (err) {
        // After a restart, failover or SCRIPT FLUSH the server forgot the script: send the source once.
        if (err instanceof ErrorReply && err.message.startsWith('NOSCRIPT')) {
          return (await redis.sendCommand(['EVAL', script.lua, ...tail])) as unknown as Reply;
        }
        throw err;
      }
    });
  }

  async ping(): Promise<void> {
    await this.#call((redis) => redis.ping());
  }

  /**
   * Closes gracefully (in-flight commands finish), but never waits longer than one command timeout: a connection
   * whose Redis never answered still holds a connection attempt that would otherwise keep close() pending for ever.
   */
  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(
      this.#connections.map(async (connection) => {
        let timer: NodeJS.Timeout | undefined;
        const gracefully = connection.close().then(
          () => true,
          () => false,
        );
        const timedOut = new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), this.#commandTimeoutMs);
        });
        const closed = await Promise.race([gracefully, timedOut]);
        clearTimeout(timer);
        if (!closed) connection.destroy();
      }),
    );
  }

  /**
   * Runs one store operation under a deadline of `commandTimeoutMs`. node-redis's own `timeout` only covers the
   * wait before a command is written: once on the wire, a command to a Redis that hangs (or a network that drops
   * packets without a reset) would wait for ever. The deadline answers the caller; the command itself stays on
   * its connection until Redis replies or the connection dies, so a write that timed out may still land.
   */
  async #call<T>(command: (redis: RedisConnection) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.#commandTimeoutMs} ms`)), this.#commandTimeoutMs);
    });
    const pending = command(this.#pick());
    // After the deadline nobody waits for this promise; its late failure must not surface as unhandled.
    pending.catch(() => {});
    let result: T;
    try {
      result = await Promise.race([pending, deadline]);
    } catch (err) {
      const failure = toStoreError(err, this.#where);
      if (failure instanceof StoreUnavailableError) this.#markDown(err);
      throw failure;
    } finally {
      clearTimeout(timer);
    }
    this.#markUp();
    return result;
  }
}

/** An outage (connection, timeout, a server that cannot write) becomes StoreUnavailableError; a bug stays itself. */
function toStoreError(err: unknown, where: string): unknown {
  if (err instanceof ErrorReply && !OUTAGE_REPLIES.test(err.message)) return err;
  return new StoreUnavailableError(`Redis at ${where} is unavailable: ${safeMessage(err)}`, { cause: err });
}

/** The error's own words, with anything shaped like a URL credential removed. */
function safeMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\/\/[^@\s/]*@/g, '//***@');
}
