import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { infoNumber, parseInfo } from './redis-info.js';
import { MemoryStore } from '../store/memory-store.js';
import type { Store } from '../store/port.js';

/** One Redis server's figures from its last INFO. */
export interface NodeSample {
  node: string;
  usedMemoryBytes?: number;
  maxMemoryBytes?: number;
  connectedClients?: number;
  evictedKeys?: number;
  expiredKeys?: number;
  keyspaceHits?: number;
  keyspaceMisses?: number;
  opsPerSecond?: number;
}

/** What the store looked like at the last sample. */
export interface StoreSample {
  /** Epoch ms of the sample. */
  at: number;
  up: boolean;
  connectionsOpen: number;
  connectionsMax: number;
  /** One per server (per master on a cluster); empty on the memory store or while Redis is away. */
  nodes: NodeSample[];
  /** The memory store's own figures, in place of INFO. */
  memory?: { keys: number; approximateBytes: number };
}

const INFO_GAUGES: Array<[field: string, name: string, help: string, pick: keyof NodeSample]> = [
  ['used_memory', 'remembr_redis_used_memory_bytes', 'Redis used_memory (INFO, sampled)', 'usedMemoryBytes'],
  ['maxmemory', 'remembr_redis_maxmemory_bytes', 'Redis maxmemory, 0 for no limit (INFO, sampled)', 'maxMemoryBytes'],
  ['connected_clients', 'remembr_redis_connected_clients', 'Clients connected to Redis, from every process (INFO, sampled)', 'connectedClients'],
  ['evicted_keys', 'remembr_redis_evicted_keys', 'Keys Redis evicted under maxmemory since it started (INFO, sampled)', 'evictedKeys'],
  ['expired_keys', 'remembr_redis_expired_keys', 'Keys Redis expired since it started (INFO, sampled)', 'expiredKeys'],
  ['keyspace_hits', 'remembr_redis_keyspace_hits', 'Successful key lookups in Redis since it started (INFO, sampled)', 'keyspaceHits'],
  ['keyspace_misses', 'remembr_redis_keyspace_misses', 'Failed key lookups in Redis since it started (INFO, sampled)', 'keyspaceMisses'],
  ['instantaneous_ops_per_sec', 'remembr_redis_instantaneous_ops_per_second', 'Commands per second Redis reports (INFO, sampled)', 'opsPerSecond'],
];

/**
 * Samples the store in the background, every `intervalMs` and never per request: whether it answers, the
 * connections open against the configured maximum, and Redis's INFO figures per server (per master on a cluster,
 * labelled by node), or the memory store's key count and approximate size. A slow or dead Redis costs one
 * bounded call per interval, and a sample never overlaps the one before it.
 */
export class StoreMonitor {
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #maxConnections: number;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<StoreSample> | undefined;
  #latest: StoreSample | undefined;
  readonly #up;
  readonly #open;
  readonly #max;
  readonly #info;
  readonly #memoryKeys;
  readonly #memoryBytes;

  constructor(store: Store, metrics: Metrics, options: { maxConnections: number; intervalMs: number; logger: Logger }) {
    this.#store = store;
    this.#logger = options.logger;
    this.#maxConnections = options.maxConnections;
    this.#intervalMs = options.intervalMs;
    this.#up = metrics.gauge('remembr_store_up', 'Whether the store answered its last background check (1) or not (0)', ['store']);
    this.#open = metrics.gauge('remembr_store_connections_open', 'Connections to the store open and ready', ['store']);
    this.#max = metrics.gauge('remembr_store_connections_max', 'The most connections this process may open (REDIS_MAX_CONNECTIONS)', ['store']);
    this.#info = INFO_GAUGES.map(([field, name, help, pick]) => ({ field, pick, gauge: metrics.gauge(name, help, ['node']) }));
    this.#memoryKeys = metrics.gauge('remembr_memory_store_keys', 'Keys held by the embedded memory store', ['store']);
    this.#memoryBytes = metrics.gauge('remembr_memory_store_bytes', 'Approximate bytes of keys and values in the embedded memory store', ['store']);
  }

  /** Samples now and then every interval (0: only when asked). */
  start(): void {
    void this.sample();
    if (this.#intervalMs > 0 && this.#timer === undefined) {
      this.#timer = setInterval(() => void this.sample(), this.#intervalMs);
      this.#timer.unref();
    }
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The last sample, if one finished. */
  get latest(): StoreSample | undefined {
    return this.#latest;
  }

  /** Takes a sample (or joins the one under way). */
  sample(): Promise<StoreSample> {
    this.#running ??= this.#take().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #take(): Promise<StoreSample> {
    const kind = this.#store.kind;
    let up = true;
    let nodes: NodeSample[] = [];
    try {
      await this.#store.ping();
      if (this.#store.serverInfo) nodes = (await this.#store.serverInfo()).map(({ node, text }) => toNodeSample(node, parseInfo(text)));
    } catch (err) {
      up = false;
      this.#logger.debug({ err: (err as Error)?.message }, 'Store sample failed');
    }
    const memory = this.#store instanceof MemoryStore ? { keys: this.#store.db.size, approximateBytes: this.#store.db.approximateBytes() } : undefined;
    const sample: StoreSample = {
      at: Date.now(),
      up,
      connectionsOpen: this.#store.openConnections?.() ?? 0,
      connectionsMax: kind === 'memory' ? 0 : this.#maxConnections,
      nodes,
      ...(memory ? { memory } : {}),
    };
    this.#up.set({ store: kind }, up ? 1 : 0);
    this.#open.set({ store: kind }, sample.connectionsOpen);
    this.#max.set({ store: kind }, sample.connectionsMax);
    for (const { gauge, pick } of this.#info) {
      // A node that left the cluster (or a Redis that went away) must not keep reporting its last figures.
      gauge.reset();
      for (const node of nodes) {
        const value = node[pick];
        if (typeof value === 'number') gauge.set({ node: node.node }, value);
      }
    }
    if (memory) {
      this.#memoryKeys.set({ store: kind }, memory.keys);
      this.#memoryBytes.set({ store: kind }, memory.approximateBytes);
    }
    this.#latest = sample;
    return sample;
  }
}

function toNodeSample(node: string, fields: Map<string, string>): NodeSample {
  const sample: NodeSample = { node };
  for (const [field, , , pick] of INFO_GAUGES) {
    const value = infoNumber(fields, field);
    if (value !== undefined) (sample as unknown as Record<string, number>)[pick] = value;
  }
  return sample;
}
