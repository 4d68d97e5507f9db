import { createCluster, type RedisClusterType } from 'redis';
import type { Logger } from 'pino';
import { describeRedisUrl } from '../config.js';
import { groupBySlot, hashSlot } from './hash-slot.js';
import type { Reply, Script, ServerInfo, Store } from './port.js';
import { closeWithin, FailFast, NotSentError, reconnectDelay, runScript, safeMessage, socketOptions, within } from './redis-common.js';

export interface RedisClusterStoreOptions {
  /** One seed node, `redis://` or `rediss://`, with the credentials every node wants; the others are discovered. */
  url: string;
  /** A command that takes longer fails with OutcomeUnknownError (it was sent and may still be applied). */
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  /** PEM file of a CA to trust (self-signed `rediss://` nodes). */
  tlsCaFile?: string;
  /** Accept a node certificate nobody vouches for. */
  tlsInsecure?: boolean;
  logger: Logger;
}

export type RedisClusterConnection = RedisClusterType;

const TOPOLOGY_REFRESH_WHILE_RECONNECTING_MS = 1000;

type MasterNode = RedisClusterConnection['masters'][number];
type NodeConnection = Awaited<ReturnType<RedisClusterConnection['nodeClient']>>;

/**
 * The Redis Cluster adapter, with the same fail-fast rules as RedisStore: no offline queue, a deadline on every
 * call, reconnects in the background, StoreError during an outage, one log line per outage and one
 * per recovery (per node here), and a bounded close.
 *
 * node-redis holds one multiplexed connection per master and routes each command by the hash slot of its first
 * key. Remembr's scripts only ever touch keys that share one hash tag, so each runs whole on one node. The
 * operations over many keys are split here by slot, because Redis Cluster runs a multi-key command or a MULTI
 * only when all its keys are in one slot:
 * - `getMany` sends one MGET per slot, `delete` one UNLINK per slot;
 * - `setMany` is atomic per slot, not as a whole: one MSET (or one MULTI of SET … EX) per slot. Keys that share a
 *   hash tag are therefore written all or nothing; keys in different slots may be left half-written when a node
 *   fails in the middle.
 * `scan` walks every master in turn. Reads go to masters only, so a write is visible to the next read.
 *
 * When a master dies its slots fail fast (its connection is offline, nothing is queued) while the other masters
 * keep serving theirs. With a replica, the cluster promotes it after `cluster-node-timeout`, and the next slot map
 * (asked for once a second while a connection keeps failing, and on every MOVED) routes those slots to it: no
 * restart. Without one, the surviving nodes declare the cluster down after `cluster-node-timeout`; from then on
 * they answer CLUSTERDOWN (with the default `cluster-require-full-coverage yes`), which is an outage too.
 */
export class RedisClusterStore implements Store {
  readonly kind = 'redis' as const;
  readonly #cluster: RedisClusterConnection;
  readonly #logger: Logger;
  /** The seed, named like the nodes: where a failure goes when no node is known yet. */
  readonly #seed: string;
  readonly #protocol: string;
  readonly #failFast: FailFast;
  #connecting: Promise<void> | undefined;
  /** Ends the pause between two connection attempts (on close). */
  #stopWaiting: (() => void) | undefined;

  constructor(options: RedisClusterStoreOptions) {
    this.#logger = options.logger;
    this.#seed = describeRedisUrl(options.url);
    this.#protocol = new URL(options.url).protocol;
    this.#failFast = new FailFast(options.logger, options.commandTimeoutMs);
    const { username, password } = credentials(options.url);
    this.#cluster = createCluster({
      rootNodes: [{ url: options.url }],
      // Every node connection is made from these (the root node's URL reaches only the seed).
      defaults: {
        username,
        password,
        disableOfflineQueue: true,
        socket: socketOptions(options.url, options),
      },
      // Remembr bounds every call itself (FailFast), which also covers a command already on the wire.
      commandOptions: { timeout: 0 },
      // While a node's connection keeps failing, ask the other nodes for the slot map again once a second (node-redis
      // waits 5 s by default): when the cluster promotes the dead master's replica, its slots are served again
      // within about a second of the promotion instead of five.
      topologyRefreshOnReconnectionAttemptStrategy: TOPOLOGY_REFRESH_WHILE_RECONNECTING_MS,
    }) as unknown as RedisClusterConnection;
    this.#cluster.on('node-error', (err: Error, node: { host: string; port: number }) =>
      this.#failFast.markDown(this.#describe(node), err),
    );
    // A node counts as back when it answers a call, not when its connection is ready: a restarted master refuses
    // commands (CLUSTERDOWN) for a while after it accepts connections, and recovery would be logged twice.
    // A failed topology refresh; the node errors behind it are logged per node. Without a listener it would throw.
    this.#cluster.on('error', (err: unknown) => this.#logger.debug({ redis: this.#seed, err: safeMessage(err) }, 'Redis Cluster topology refresh failed'));
  }

  /** The node-redis cluster client, for direct access to commands Remembr does not wrap. */
  get cluster(): RedisClusterConnection {
    return this.#cluster;
  }

  /** Sends one command to every master (SCRIPT FLUSH, INFO, CONFIG SET…) and returns their replies. */
  sendToEveryMaster(command: string[]): Promise<unknown[]> {
    return this.#onEveryMaster((node) => node.sendCommand(command));
  }

  /**
   * Starts connecting and waits at most `waitMs` for it. Never rejects: a cluster that cannot be reached at start
   * leaves the store degraded (commands fail fast) while it keeps trying in the background.
   */
  async connect(waitMs: number): Promise<boolean> {
    this.#connecting ??= this.#keepConnecting();
    const outcome = await within(this.#connecting, waitMs, 'timeout' as const);
    if (outcome === 'timeout') {
      this.#logger.warn({ redis: this.#seed }, 'Redis Cluster is not reachable yet; starting degraded and retrying in the background');
      return false;
    }
    return true;
  }

  /**
   * node-redis gives up on a cluster whose seed does not answer (a node that does not answer, it retries), so the
   * first discovery is retried here until it succeeds or the store closes.
   */
  async #keepConnecting(): Promise<void> {
    for (let attempt = 0; !this.#failFast.closing; attempt++) {
      try {
        await this.#cluster.connect();
        // Closed while connecting: what the connection opened must not outlive the store.
        if (this.#failFast.closing) this.#cluster.destroy();
        else this.#failFast.markUp(this.#seed);
        return;
      } catch (err) {
        if (this.#failFast.closing) return;
        this.#failFast.markDown(this.#seed, err);
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

  get(key: string): Promise<string | null> {
    return this.#onKey(key, (cluster) => cluster.get(key));
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    await this.#onKey(key, (cluster) =>
      ttlSeconds === undefined ? cluster.set(key, value) : cluster.set(key, value, { expiration: { type: 'EX', value: ttlSeconds } }),
    );
  }

  /** One UNLINK per slot. */
  async delete(keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const counts = await this.#perSlot(keys, (slotKeys) => this.#cluster.unlink(slotKeys));
    return counts.reduce((sum, count) => sum + count, 0);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.#onKey(key, (cluster) => cluster.exists(key))) === 1;
  }

  async expire(key: string, ttlSeconds: number): Promise<boolean> {
    return (await this.#onKey(key, (cluster) => cluster.expire(key, ttlSeconds))) === 1;
  }

  ttl(key: string): Promise<number> {
    return this.#onKey(key, (cluster) => cluster.ttl(key));
  }

  incrBy(key: string, amount: number): Promise<number> {
    return this.#onKey(key, (cluster) => cluster.incrBy(key, amount));
  }

  getDel(key: string): Promise<string | null> {
    return this.#onKey(key, (cluster) => cluster.getDel(key));
  }

  /**
   * Atomic per slot: each slot's entries land together (MSET, or MULTI/EXEC of SET … EX so no key is ever left
   * without its expiry), but slots are written independently. Entries that share a hash tag are all or nothing.
   */
  async setMany(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds?: number): Promise<void> {
    if (entries.length === 0) return;
    await this.#perSlot(
      entries.map(([key]) => key),
      async (_keys, positions) => {
        const group = positions.map((position) => entries[position]!);
        const [firstKey, firstValue] = group[0]!;
        if (ttlSeconds === undefined) {
          if (group.length === 1) await this.#cluster.set(firstKey, firstValue);
          else await this.#cluster.mSet(group.map(([key, value]) => [key, value] as [string, string]));
          return;
        }
        if (group.length === 1) {
          await this.#cluster.set(firstKey, firstValue, { expiration: { type: 'EX', value: ttlSeconds } });
          return;
        }
        const multi = this.#cluster.multi(firstKey);
        for (const [key, value] of group) multi.addCommand(key, false, ['SET', key, value, 'EX', String(ttlSeconds)]);
        await multi.exec();
      },
    );
  }

  /** One MGET per slot; the values come back in the order of `keys`. */
  async getMany(keys: string[]): Promise<Array<string | null>> {
    const values = new Array<string | null>(keys.length).fill(null);
    if (keys.length === 0) return values;
    await this.#perSlot(keys, async (slotKeys, positions) => {
      const found = await this.#cluster.mGet(slotKeys);
      positions.forEach((position, i) => {
        values[position] = found[i] ?? null;
      });
    });
    return values;
  }

  /**
   * SCAN on every master in turn (the masters of the moment it starts). A failover during the walk may skip or
   * repeat keys, as SCAN itself may when the keyspace changes under it.
   */
  async *scan(pattern: string, batchSize: number): AsyncIterable<string[]> {
    for (const master of await this.#masters()) {
      const where = this.#describe(master);
      let cursor = '0';
      do {
        const reply = await this.#failFast.call(where, async () =>
          (await this.#cluster.nodeClient(master)).scan(cursor, { MATCH: pattern, COUNT: batchSize }),
        );
        cursor = String(reply.cursor);
        if (reply.keys.length > 0) yield reply.keys.map(String);
      } while (cursor !== '0');
    }
  }

  /**
   * Routed by the first key. A script's keys share one hash tag by construction (see keys.ts); one that did not
   * gets Redis's own CROSSSLOT error reply, which is a bug to surface, not an outage.
   */
  run(script: Script, keys: string[], args: Array<string | number>): Promise<Reply> {
    const [firstKey] = keys;
    return this.#failFast.call(firstKey === undefined ? this.#seed : this.#whereOfSlot(hashSlot(firstKey)), () =>
      runScript((command) => this.#cluster.sendCommand(firstKey, false, command), script, keys, args),
    );
  }

  /** Every master must answer: with one of them away, part of the keyspace is. */
  async ping(): Promise<void> {
    await this.#onEveryMaster((node) => node.ping());
  }

  /** One multiplexed connection per master. */
  openConnections(): number {
    if (!this.#cluster.isReady) return 0;
    return this.#cluster.masters.filter((master) => master.client?.isReady).length;
  }

  /** INFO of every master, each named by its node. */
  async serverInfo(section?: string): Promise<ServerInfo[]> {
    const masters = await this.#masters();
    return Promise.all(
      masters.map(async (master) => {
        const node = this.#describe(master);
        const text = await this.#failFast.call(node, async () => {
          const client = await this.#cluster.nodeClient(master);
          return section === undefined ? client.info() : client.info(section);
        });
        return { node, text: String(text) };
      }),
    );
  }

  /** Closes gracefully, within one command timeout (see closeWithin). */
  async close(): Promise<void> {
    this.#failFast.closing = true;
    this.#stopWaiting?.();
    await closeWithin(this.#failFast.commandTimeoutMs, () => this.#cluster.close(), () => this.#cluster.destroy());
  }

  #describe(node: { host: string; port: number }): string {
    return `${this.#protocol}//${node.host}:${node.port}`;
  }

  /** The master that serves a slot, as named in log lines and errors; the seed until the topology is known. */
  #whereOfSlot(slot: number): string {
    const master = this.#cluster.slots[slot]?.master;
    return master ? this.#describe(master) : this.#seed;
  }

  #onKey<T>(key: string, command: (cluster: RedisClusterConnection) => Promise<T>): Promise<T> {
    return this.#failFast.call(this.#whereOfSlot(hashSlot(key)), () => command(this.#cluster));
  }

  /**
   * Runs `command` once per slot that `keys` fall in, with the keys of that slot and their positions in `keys`.
   * The slots of one master share one deadline, so an outage is told apart by node.
   */
  async #perSlot<T>(keys: readonly string[], command: (slotKeys: string[], positions: number[]) => Promise<T>): Promise<T[]> {
    const byNode = new Map<string, number[][]>();
    for (const [slot, positions] of groupBySlot(keys)) {
      const where = this.#whereOfSlot(slot);
      const groups = byNode.get(where);
      if (groups) groups.push(positions);
      else byNode.set(where, [positions]);
    }
    const results = await Promise.all(
      [...byNode].map(([where, groups]) =>
        this.#failFast.call(where, () => Promise.all(groups.map((positions) => command(positions.map((p) => keys[p]!), positions)))),
      ),
    );
    return results.flat();
  }

  /** The current masters; an outage when the topology is not known yet. */
  async #masters(): Promise<MasterNode[]> {
    const masters = this.#cluster.isReady ? this.#cluster.masters : [];
    if (masters.length > 0) return [...masters];
    return this.#failFast.call(this.#seed, () => Promise.reject(new NotSentError('the cluster topology is not known yet (still connecting)')));
  }

  async #onEveryMaster<T>(command: (node: NodeConnection) => Promise<T>): Promise<T[]> {
    const masters = await this.#masters();
    return Promise.all(
      masters.map((master) => this.#failFast.call(this.#describe(master), async () => command(await this.#cluster.nodeClient(master)))),
    );
  }
}

/** The user and password of a Redis URL, which every node connection needs, not only the seed's. */
function credentials(url: string): { username?: string; password?: string } {
  const parsed = new URL(url);
  return {
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
  };
}
