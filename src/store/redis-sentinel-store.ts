import { createSentinel } from 'redis';
import type { Logger } from 'pino';
import type { RedisNodeAddress } from '../config.js';
import { StoreUnavailableError } from '../errors.js';
import type { Reply, Script, ServerInfo, Store } from './port.js';
import { closeWithin, reconnectDelay, safeMessage, socketOptions, within } from './redis-common.js';
import type { Durability } from './durability.js';
import { RedisStore } from './redis-store.js';

export interface RedisSentinelStoreOptions {
  /** Sentinels to ask first; the others they know of are learnt from them. */
  sentinels: readonly RedisNodeAddress[];
  /** The name the Sentinels monitor the primary under. */
  name: string;
  /** ACL user and password of the primary and replicas. */
  username?: string;
  password?: string;
  /** Password of the Sentinels themselves. */
  sentinelPassword?: string;
  /** TLS to the Sentinels and to the primary. */
  tls: boolean;
  /** Acknowledge a write only once this many replicas have it (see RedisStore). */
  durability?: Durability;
  /** Connections to the primary (see RedisStore). */
  connections: number;
  /** A command that takes longer fails with StoreUnavailableError. */
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  /** PEM file of a CA to trust (self-signed servers). */
  tlsCaFile?: string;
  /** Accept a certificate nobody vouches for. */
  tlsInsecure?: boolean;
  logger: Logger;
}

/** The part of node-redis's Sentinel client this store uses: discovery and its announcements, never commands. */
interface Sentinel {
  connect(): Promise<unknown>;
  close(): Promise<void>;
  destroy(): Promise<void>;
  getMasterNode(): RedisNodeAddress | undefined;
  on(event: string, listener: (...args: never[]) => void): unknown;
}

/**
 * How often the Sentinels are asked again who the primary is, besides the announcements they publish
 * (`+switch-master`): a failover announced while the connection to the Sentinel was down is caught within this.
 */
const SENTINEL_SCAN_INTERVAL_MS = 1000;

/**
 * The Redis Sentinel adapter: node-redis's `createSentinel` finds the primary that the Sentinels name and follows
 * their announcements; the commands go to that primary through a RedisStore of its own, so every fail-fast rule of
 * one server applies unchanged: no offline queue, a deadline on every call, StoreUnavailableError during an
 * outage, one log line per outage and recovery (naming the primary), a bounded close.
 *
 * Why not send the commands through node-redis's Sentinel client itself? It waits for a new primary instead of
 * failing: a command that finds its connection down loops on re-asking the Sentinels until one is ready, so calls
 * abandoned at their deadline would pile up and be sent late, and it re-sends a command whose connection died under
 * it, which could apply a write twice. Through a RedisStore, a command is sent once or fails fast.
 *
 * When the primary dies, its calls answer 503 at once (its connections are down, nothing queues) until the Sentinels
 * agree it is down (`down-after-milliseconds`) and promote a replica; on their announcement the store moves to the
 * new primary (one log line) and closes the old connections. Replication is asynchronous: writes the old primary
 * acknowledged but had not yet sent to the replica are lost in that failover (see `durable acknowledgements`).
 */
export class RedisSentinelStore implements Store {
  readonly kind = 'redis' as const;
  readonly #options: RedisSentinelStoreOptions;
  readonly #logger: Logger;
  readonly #where: string;
  #sentinel: Sentinel | undefined;
  /** The store on the current primary, and its `host:port`; undefined until the Sentinels name one. */
  #primary: RedisStore | undefined;
  #primaryAddress: string | undefined;
  #closing = false;
  #connecting: Promise<void> | undefined;
  /** Ends the pause between two attempts to reach the Sentinels (on close). */
  #stopWaiting: (() => void) | undefined;
  /** Resolves when the first primary is followed, its connections made or given up on (connect waits for it). */
  #primaryKnown: () => void = () => undefined;
  readonly #firstPrimary = new Promise<void>((resolve) => (this.#primaryKnown = resolve));

  constructor(options: RedisSentinelStoreOptions) {
    this.#options = options;
    this.#logger = options.logger;
    this.#where = `primary "${options.name}" of the Sentinels at ${options.sentinels.map(({ host, port }) => `${host}:${port}`).join(',')}`;
  }

  /** The store on the current primary, for direct access to its connections (tests, tools). */
  get primary(): RedisStore | undefined {
    return this.#primary;
  }

  /** Where the current primary is (`host:port`), as the Sentinels last named it. */
  get primaryAddress(): string | undefined {
    return this.#primaryAddress;
  }

  /**
   * Starts asking the Sentinels and waits at most `waitMs` for the primary to answer. Never rejects: with no
   * Sentinel or no primary reachable at start, the store is degraded (calls fail fast) and keeps trying.
   */
  async connect(waitMs: number): Promise<boolean> {
    this.#connecting ??= this.#keepConnecting();
    const outcome = await within(this.#firstPrimary, waitMs, 'timeout' as const);
    if (outcome === 'timeout') {
      this.#logger.warn({ redis: this.#where }, 'Redis Sentinel primary is not reachable yet; starting degraded and retrying in the background');
      return false;
    }
    return true;
  }

  /** node-redis gives a Sentinel client up when its first discovery fails, so a fresh one is tried until one works. */
  async #keepConnecting(): Promise<void> {
    let warned = false;
    for (let attempt = 0; !this.#closing; attempt++) {
      const sentinel = this.#createSentinel();
      this.#sentinel = sentinel;
      try {
        await sentinel.connect();
        if (this.#closing) {
          await sentinel.destroy();
          return;
        }
        const primary = sentinel.getMasterNode();
        if (primary) this.#follow(primary);
        return;
      } catch (err) {
        if (this.#closing) return;
        if (!warned) this.#logger.warn({ redis: this.#where, err: safeMessage(err) }, 'Redis Sentinel discovery failed; retrying');
        warned = true;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, reconnectDelay(attempt));
          this.#stopWaiting = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  #createSentinel(): Sentinel {
    const options = this.#options;
    const socket = () => socketOptions(options.tls ? 'rediss:' : 'redis:', options);
    const sentinel = createSentinel({
      name: options.name,
      sentinelRootNodes: options.sentinels.map(({ host, port }) => ({ host, port })),
      // Its own connection to the primary is only how node-redis watches it; Remembr's commands use #primary.
      masterPoolSize: 1,
      // A failed look-up is retried by the scan below and by the next announcement, not in a loop of its own.
      maxCommandRediscovers: 2,
      scanInterval: SENTINEL_SCAN_INTERVAL_MS,
      nodeClientOptions: { username: options.username, password: options.password, disableOfflineQueue: true, socket: socket() },
      sentinelClientOptions: { password: options.sentinelPassword, disableOfflineQueue: true, socket: socket() },
    }) as unknown as Sentinel;
    sentinel.on('topology-change', (event: { type: string; node?: RedisNodeAddress }) => {
      if (event.type === 'MASTER_CHANGE' && event.node) this.#follow(event.node);
    });
    // node-redis reports every failed look-up and connection here; the primary's own outages are logged by #primary.
    sentinel.on('error', (err: unknown) => this.#logger.debug({ redis: this.#where, err: safeMessage(err) }, 'Redis Sentinel look-up failed'));
    sentinel.on('client-error', (event: { type?: string; error?: unknown }) =>
      this.#logger.debug({ redis: this.#where, node: event.type, err: safeMessage(event.error) }, 'Redis Sentinel connection failed'),
    );
    return sentinel;
  }

  /**
   * Moves the commands to the primary the Sentinels name now (once per change). The new connections are made
   * first (for at most the connect timeout): until they are ready, calls keep going to the old primary, which fails
   * them fast as it did since it died, instead of to connections that are not open yet.
   */
  #follow(node: RedisNodeAddress): void {
    const address = `${node.host}:${node.port}`;
    if (this.#closing || address === this.#primaryAddress) return;
    this.#primaryAddress = address;
    const options = this.#options;
    const auth =
      options.username || options.password
        ? `${encodeURIComponent(options.username ?? '')}${options.password ? `:${encodeURIComponent(options.password)}` : ''}@`
        : '';
    const host = node.host.includes(':') ? `[${node.host}]` : node.host;
    const scheme = options.tls ? 'rediss' : 'redis';
    const next = new RedisStore({
      url: `${scheme}://${auth}${host}:${node.port}`,
      connections: options.connections,
      commandTimeoutMs: options.commandTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
      tlsCaFile: options.tlsCaFile,
      tlsInsecure: options.tlsInsecure,
      logger: options.logger,
      durability: options.durability,
    });
    const named = { redis: this.#where, primary: `${scheme}://${host}:${node.port}` };
    void next.connect(options.connectTimeoutMs).then(async () => {
      // Closed meanwhile, or the Sentinels have named yet another primary: this one is not needed.
      if (this.#closing || this.#primaryAddress !== address) {
        await next.close();
        return;
      }
      const previous = this.#primary;
      this.#primary = next;
      if (previous) this.#logger.warn(named, 'Redis Sentinel failed over: following the new primary');
      else this.#logger.info(named, 'Redis Sentinel names the primary');
      this.#primaryKnown();
      // Calls already sent to the old primary finish or fail there; then its connections close.
      await previous?.close();
    });
  }

  #current(): RedisStore {
    if (this.#primary) return this.#primary;
    throw new StoreUnavailableError(`Redis Sentinel has not named the ${this.#where} yet`);
  }

  /** One store call on the current primary; before there is one, the outage error (as a rejection). */
  async #on<T>(call: (primary: RedisStore) => Promise<T>): Promise<T> {
    return call(this.#current());
  }

  get(key: string): Promise<string | null> {
    return this.#on((primary) => primary.get(key));
  }

  set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    return this.#on((primary) => primary.set(key, value, ttlSeconds));
  }

  delete(keys: string[]): Promise<number> {
    return this.#on((primary) => primary.delete(keys));
  }

  exists(key: string): Promise<boolean> {
    return this.#on((primary) => primary.exists(key));
  }

  expire(key: string, ttlSeconds: number): Promise<boolean> {
    return this.#on((primary) => primary.expire(key, ttlSeconds));
  }

  ttl(key: string): Promise<number> {
    return this.#on((primary) => primary.ttl(key));
  }

  incrBy(key: string, amount: number): Promise<number> {
    return this.#on((primary) => primary.incrBy(key, amount));
  }

  getDel(key: string): Promise<string | null> {
    return this.#on((primary) => primary.getDel(key));
  }

  setMany(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds?: number): Promise<void> {
    return this.#on((primary) => primary.setMany(entries, ttlSeconds));
  }

  getMany(keys: string[]): Promise<Array<string | null>> {
    return this.#on((primary) => primary.getMany(keys));
  }

  /** SCAN on the primary of the moment the walk starts; a failover during the walk ends it with an outage. */
  async *scan(pattern: string, batchSize: number): AsyncIterable<string[]> {
    yield* this.#current().scan(pattern, batchSize);
  }

  run(script: Script, keys: string[], args: Array<string | number>): Promise<Reply> {
    return this.#on((primary) => primary.run(script, keys, args));
  }

  ping(): Promise<void> {
    return this.#on((primary) => primary.ping());
  }

  serverInfo(section?: string): Promise<ServerInfo[]> {
    return this.#on((primary) => primary.serverInfo(section));
  }

  /** Closes the Sentinel client and the primary's connections, each within one command timeout. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#stopWaiting?.();
    const sentinel = this.#sentinel;
    await Promise.all([
      sentinel ? closeWithin(this.#options.commandTimeoutMs, () => sentinel.close(), () => void sentinel.destroy()) : undefined,
      this.#primary?.close(),
    ]);
  }
}
