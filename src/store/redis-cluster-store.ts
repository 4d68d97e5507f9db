import { createCluster, ErrorReply, type RedisClusterType } from 'redis';
import type { Logger } from 'pino';
import { describeRedisUrl } from '../config.js';
import { groupBySlot, hashSlot } from './hash-slot.js';
import type { Reply, Script, ServerInfo, Store } from './port.js';
import { confirmReplicated, writeAndWait, type Durability, type Send } from './durability.js';
import { setManyScript } from './store-scripts.js';
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
  /**
   * Acknowledge a write only once this many replicas of the master that took it have it (WAIT on that master's
   * connection). Unset: as soon as the master has it.
   */
  durability?: Durability;
}

export type RedisClusterConnection = RedisClusterType;

const TOPOLOGY_REFRESH_WHILE_RECONNECTING_MS = 1000;
/** Slot-map refreshes a durable write follows before it gives up (node-redis itself follows up to 16). */
const MAX_REDIRECTS = 3;

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
 * - `setMany` is atomic per slot, not as a whole: one MSET (or with a TTL one run of the set-many script) per slot. Keys that share a
 *   hash tag are therefore written all or nothing; keys in different slots may be left half-written when a node
 *   fails in the middle.
 * `scan` walks every master in turn. Reads go to masters only, so a write is visible to the next read.
 *
 * Durable acknowledgements: WAIT counts the replicas that have acknowledged everything sent on the connection it is
 * sent on, and node-redis's cluster client would send it to every master (its command table says WAIT fans out to
 * all shards and answers the minimum), so it is not sent through the cluster. A write with durability goes, with
 * its WAIT behind it, straight to the one connection node-redis holds to the master of its slot (the same one the
 * cluster routes that slot's commands through), and a write over several slots gets one WAIT per slot.
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
  readonly #durability: Durability | undefined;
  /** A slot each lost node served, to name who serves it once the node has left the topology. */
  readonly #slotOfLost = new Map<string, number>();

  constructor(options: RedisClusterStoreOptions) {
    this.#durability = options.durability;
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
    this.#cluster.on('node-error', (err: Error, node: { host: string; port: number }) => {
      const where = this.#describe(node);
      this.#failFast.markDown(where, err);
      if (!this.#slotOfLost.has(where)) {
        const slot = this.#cluster.slots.findIndex((shard) => shard?.master && this.#describe(shard.master) === where);
        if (slot >= 0) this.#slotOfLost.set(where, slot);
      }
    });
    // A node leaves the slot map (its client is closed) when the cluster promoted its replica: the dead master is
    // never "restored", so its outage ends with a line naming the node that serves its slots now.
    this.#cluster.on('node-disconnect', (node: { host: string; port: number }) => {
      const where = this.#describe(node);
      const slot = this.#slotOfLost.get(where);
      this.#slotOfLost.delete(where);
      if (this.#failFast.closing || !this.#failFast.retire(where)) return;
      const master = slot === undefined ? undefined : this.#cluster.slots[slot]?.master;
      this.#logger.warn(
        { redis: where, servedBy: master ? this.#describe(master) : undefined },
        'Redis Cluster failed over: this node left the topology and another serves its slots',
      );
    });
    this.#cluster.on('node-connect', (node: { host: string; port: number }) => this.#failFast.reinstate(this.#describe(node)));
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
    await this.#write(key, ttlSeconds === undefined ? ['SET', key, value] : ['SET', key, value, 'EX', String(ttlSeconds)]);
  }

  /** One UNLINK per slot. */
  async delete(keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const counts = await this.#perSlot(keys, (slotKeys) => this.#written(slotKeys[0]!, (send) => send(['UNLINK', ...slotKeys])));
    return counts.reduce((sum: number, count) => sum + Number(count), 0);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.#onKey(key, (cluster) => cluster.exists(key))) === 1;
  }

  async expire(key: string, ttlSeconds: number): Promise<boolean> {
    return (await this.#write(key, ['EXPIRE', key, String(ttlSeconds)])) === 1;
  }

  ttl(key: string): Promise<number> {
    return this.#onKey(key, (cluster) => cluster.ttl(key));
  }

  async incrBy(key: string, amount: number): Promise<number> {
    return Number(await this.#write(key, ['INCRBY', key, String(amount)]));
  }

  getDel(key: string): Promise<string | null> {
    return this.#write(key, ['GETDEL', key]) as Promise<string | null>;
  }

  /**
   * Atomic per slot: each slot's entries land together (MSET, or with a TTL the set-many script, so no key is ever
   * left without its expiry), but slots are written independently. Entries that share a hash tag are all or nothing.
   */
  async setMany(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds?: number): Promise<void> {
    if (entries.length === 0) return;
    await this.#perSlot(
      entries.map(([key]) => key),
      (slotKeys, positions) =>
        this.#written(slotKeys[0]!, (send) => {
          const values = positions.map((position) => entries[position]![1]);
          if (ttlSeconds === undefined) return send(slotKeys.length === 1 ? ['SET', slotKeys[0]!, values[0]!] : ['MSET', ...slotKeys.flatMap((key, i) => [key, values[i]!])]);
          if (slotKeys.length === 1) return send(['SET', slotKeys[0]!, values[0]!, 'EX', String(ttlSeconds)]);
          return runScript(send, setManyScript, slotKeys, [...values, String(ttlSeconds)]);
        }),
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
    if (firstKey === undefined) return this.#failFast.call(this.#seed, () => runScript((command) => this.#cluster.sendCommand(undefined, false, command), script, keys, args));
    return this.#failFast.call(this.#whereOfSlot(hashSlot(firstKey)), () => this.#written(firstKey, (send) => runScript(send, script, keys, args)));
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

  /** One raw write command on `key`'s slot, under the deadline (see #written). */
  #write(key: string, command: string[]): Promise<unknown> {
    return this.#failFast.call(this.#whereOfSlot(hashSlot(key)), () => this.#written(key, (send) => send(command)));
  }

  /**
   * A write whose commands all go to `key`'s slot, through `send`. Without durable acknowledgements `send` is the
   * cluster's own routing (MOVED and ASK followed). With them it is the connection to the slot's master, and WAIT
   * follows the write on it: a MOVED answer there (our slot map is stale; the write was not applied) makes the
   * cluster learn the new map and the write is sent again, with its WAIT, to the master named now.
   */
  async #written<T>(key: string, write: (send: Send) => Promise<T>): Promise<T> {
    const durability = this.#durability;
    if (durability === undefined) return write((command) => this.#cluster.sendCommand(key, false, command));
    for (let redirects = 0; ; redirects++) {
      const node = await this.#cluster.getNodeClientForKey(key);
      try {
        const replies = await writeAndWait((command) => node.sendCommand(command), write, durability);
        return confirmReplicated(replies, durability, this.#whereOfSlot(hashSlot(key)));
      } catch (err) {
        if (!(err instanceof ErrorReply && /^(MOVED|ASK) /.test(err.message)) || redirects >= MAX_REDIRECTS) throw err;
        // Routed by the cluster client, which follows the MOVED and refreshes its slot map on the way.
        await this.#cluster.exists(key);
      }
    }
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
