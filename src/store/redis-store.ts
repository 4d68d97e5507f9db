import { readFileSync } from 'node:fs';
import { createClientPool, ErrorReply, type RedisClientPoolType } from 'redis';
import type { Logger } from 'pino';
import { describeRedisUrl } from '../config.js';
import { StoreUnavailableError } from '../errors.js';
import type { Reply, Script, Store } from './port.js';

export interface RedisStoreOptions {
  url: string;
  /** Upper bound of connections in the pool. */
  maxConnections: number;
  /** A command that takes longer fails with StoreUnavailableError. */
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  /** PEM file of a CA to trust (self-signed `rediss://` servers). */
  tlsCaFile?: string;
  /** Accept a server certificate nobody vouches for. */
  tlsInsecure?: boolean;
  logger: Logger;
}

export type RedisPool = RedisClientPoolType;

/** Redis answers these while it cannot take a command; anything else in an error reply is a bug of ours. */
const OUTAGE_REPLIES = /^(OOM|LOADING|BUSY|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|MISCONF|NOREPLICAS)\b/;

/**
 * The Redis adapter: a bounded pool of node-redis connections that fails fast. Commands are never queued while
 * Redis is away (`disableOfflineQueue`) and each has a timeout, so an outage answers within
 * `commandTimeoutMs`; the connections reconnect in the background and the same instance works again once
 * Redis returns.
 */
export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  /** The node-redis pool, for direct access to commands Remembr does not wrap. */
  readonly client: RedisPool;
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
    this.client = createClientPool(
      {
        url: options.url,
        disableOfflineQueue: true,
        commandOptions: { timeout: options.commandTimeoutMs },
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
      },
      {
        minimum: 1,
        maximum: options.maxConnections,
        // A task waiting for a free connection obeys the same bound as a command.
        acquireTimeout: options.commandTimeoutMs,
      },
    ) as unknown as RedisPool;
    // node-redis reports every failed reconnect here. The pool forwards only 'error' from its connections (no
    // 'connect' or 'ready'), so the recovery is noticed by the first command that succeeds again (see #call).
    this.client.on('error', (err: Error) => this.#markDown(err));
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
   * store degraded (commands fail fast) while the pool keeps trying in the background.
   */
  async connect(waitMs: number): Promise<boolean> {
    this.#connecting ??= this.client.connect().then(
      () => this.#markUp(),
      (err: unknown) => {
        // Closing a pool that never connected aborts its connection attempt: that is no failure worth a warning.
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
    return this.#call(() => this.client.get(key));
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    await this.#call(() =>
      ttlSeconds === undefined ? this.client.set(key, value) : this.client.set(key, value, { expiration: { type: 'EX', value: ttlSeconds } }),
    );
  }

  delete(keys: string[]): Promise<number> {
    if (keys.length === 0) return Promise.resolve(0);
    return this.#call(() => this.client.unlink(keys));
  }

  async exists(key: string): Promise<boolean> {
    return (await this.#call(() => this.client.exists(key))) === 1;
  }

  async expire(key: string, ttlSeconds: number): Promise<boolean> {
    return (await this.#call(() => this.client.expire(key, ttlSeconds))) === 1;
  }

  ttl(key: string): Promise<number> {
    return this.#call(() => this.client.ttl(key));
  }

  incrBy(key: string, amount: number): Promise<number> {
    return this.#call(() => this.client.incrBy(key, amount));
  }

  getDel(key: string): Promise<string | null> {
    return this.#call(() => this.client.getDel(key));
  }

  async setMany(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds?: number): Promise<void> {
    if (entries.length === 0) return;
    if (ttlSeconds === undefined) {
      await this.#call(() => this.client.mSet(entries.map(([key, value]) => [key, value] as [string, string])));
      return;
    }
    // MULTI/EXEC: every value and its TTL land together, so no key is ever left without its expiry.
    await this.#call(() => {
      const multi = this.client.multi();
      for (const [key, value] of entries) multi.addCommand(['SET', key, value, 'EX', String(ttlSeconds)]);
      return multi.exec();
    });
  }

  getMany(keys: string[]): Promise<Array<string | null>> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.#call(() => this.client.mGet(keys));
  }

  async *scan(pattern: string, batchSize: number): AsyncIterable<string[]> {
    let cursor = '0';
    do {
      const reply = await this.#call(() => this.client.scan(cursor, { MATCH: pattern, COUNT: batchSize }));
      cursor = String(reply.cursor);
      if (reply.keys.length > 0) yield reply.keys.map(String);
    } while (cursor !== '0');
  }

  async run(script: Script, keys: string[], args: Array<string | number>): Promise<Reply> {
    const tail = [String(keys.length), ...keys, ...args.map(String)];
    return this.#call(async () => {
      try {
        return (await this.client.sendCommand(['EVALSHA', script.sha, ...tail])) as unknown as Reply;
      } catch (err) {
        // After a restart, failover or SCRIPT FLUSH the server forgot the script: send the source once.
        if (err instanceof ErrorReply && err.message.startsWith('NOSCRIPT')) {
          return (await this.client.sendCommand(['EVAL', script.lua, ...tail])) as unknown as Reply;
        }
        throw err;
      }
    });
  }

  async ping(): Promise<void> {
    await this.#call(() => this.client.ping());
  }

  /**
   * Closes gracefully (in-flight commands finish), but never waits longer than one command timeout: a pool whose
   * Redis never answered still holds a connection attempt that would otherwise keep close() pending for ever.
   */
  async close(): Promise<void> {
    this.#closing = true;
    let timer: NodeJS.Timeout | undefined;
    const gracefully = this.client.close().then(
      () => true,
      () => false,
    );
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.#commandTimeoutMs);
    });
    const closed = await Promise.race([gracefully, timedOut]);
    clearTimeout(timer);
    if (!closed) this.client.destroy();
  }

  /**
   * Runs one store operation under a deadline of `commandTimeoutMs`. node-redis's own `timeout` only covers the
   * wait before a command is written: once on the wire, a command to a Redis that hangs (or a network that drops
   * packets without a reset) would wait for ever. The deadline answers the caller; the command itself stays on
   * its connection until Redis replies or the connection dies, so a write that timed out may still land.
   */
  async #call<T>(command: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.#commandTimeoutMs} ms`)), this.#commandTimeoutMs);
    });
    const pending = command();
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
