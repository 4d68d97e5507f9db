import { afterAll, beforeAll } from 'vitest';
import { StoreUnavailableError } from '../../src/errors.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { Store } from '../../src/store/port.js';
import { RedisClusterStore } from '../../src/store/redis-cluster-store.js';
import { RedisSentinelStore } from '../../src/store/redis-sentinel-store.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { captureLogger } from './log-capture.js';
import { startRedisCluster, type RedisCluster } from './redis-cluster.js';
import { startRedisSentinelSet, type RedisSentinelSet } from './redis-sentinel.js';
import { startRedisServer, type RedisServer } from './redis-server.js';

/**
 * The two stores every contract suite runs against. Call inside a describe; use `backends` with
 * `describe.each`. The Redis one is a redis-server this file starts on a free port.
 */
export const backends = ['memory', 'redis'] as const;
/**
 * The same plus a three-master Redis Cluster and a Redis Sentinel set (primary, replica, three Sentinels) of the
 * suite's own, for the library suites (the store contract and the services on it). Starting either takes a couple
 * of seconds, so the HTTP suites stay on `backends` (test/cluster.test.ts and test/sentinel.test.ts run the service
 * on each).
 */
export const allBackends = ['memory', 'redis', 'cluster', 'sentinel'] as const;
/**
 * allBackends plus a RedisStore with its client cache on (RESP3, tracking): the suites of what the cache serves
 * (the store contract, CacheService, sessions) run on it too.
 */
export const cachedBackends = [...allBackends, 'redis with client cache'] as const;
export type Backend = (typeof cachedBackends)[number];

export function openRedisStore(url: string, overrides: Partial<ConstructorParameters<typeof RedisStore>[0]> = {}): RedisStore {
  return new RedisStore({
    url,
    connections: 2,
    commandTimeoutMs: 1000,
    connectTimeoutMs: 1000,
    logger: captureLogger(),
    ...overrides,
  });
}

export function openRedisClusterStore(
  url: string,
  overrides: Partial<ConstructorParameters<typeof RedisClusterStore>[0]> = {},
): RedisClusterStore {
  return new RedisClusterStore({ url, commandTimeoutMs: 1000, connectTimeoutMs: 1000, logger: captureLogger(), ...overrides });
}

export function openRedisSentinelStore(
  set: RedisSentinelSet,
  overrides: Partial<ConstructorParameters<typeof RedisSentinelStore>[0]> = {},
): RedisSentinelStore {
  return new RedisSentinelStore({
    sentinels: set.sentinels,
    name: set.name,
    tls: false,
    connections: 2,
    commandTimeoutMs: 1000,
    connectTimeoutMs: 1000,
    logger: captureLogger(),
    ...overrides,
  });
}

/**
 * The deadline of the shared suites' stores: they test behaviour, not the bound (the fault suites make their own
 * stores with tight deadlines), and a 10,000-key setMany on a busy two-core machine may take more than a second.
 */
const SUITE_COMMAND_TIMEOUT_MS = 5000;

/** A fresh store of the given kind for the describe block it is called in. */
export function useStore(backend: Backend): {
  readonly store: Store;
  readonly server?: RedisServer;
  readonly cluster?: RedisCluster;
  readonly sentinels?: RedisSentinelSet;
} {
  const holder: { store: Store; server?: RedisServer; cluster?: RedisCluster; sentinels?: RedisSentinelSet } = {} as never;
  beforeAll(async () => {
    if (backend === 'memory') {
      holder.store = new MemoryStore();
      return;
    }
    if (backend === 'cluster') {
      holder.cluster = await startRedisCluster();
      const store = openRedisClusterStore(holder.cluster.url, { commandTimeoutMs: SUITE_COMMAND_TIMEOUT_MS });
      await store.connect(10_000);
      holder.store = store;
      return;
    }
    if (backend === 'sentinel') {
      holder.sentinels = await startRedisSentinelSet();
      const store = openRedisSentinelStore(holder.sentinels, { commandTimeoutMs: SUITE_COMMAND_TIMEOUT_MS });
      await store.connect(10_000);
      holder.store = store;
      return;
    }
    holder.server = await startRedisServer();
    const store = openRedisStore(holder.server.url, {
      commandTimeoutMs: SUITE_COMMAND_TIMEOUT_MS,
      ...(backend === 'redis with client cache' ? { clientCache: {} } : {}),
    });
    await store.connect(5000);
    holder.store = store;
  });
  afterAll(async () => {
    await holder.store?.close();
    await holder.server?.stop();
    await holder.cluster?.stop();
    await holder.sentinels?.stop();
  });
  return holder;
}

/**
 * Sends a command to every Redis server behind a store: the one of a RedisStore, each master of a cluster, none
 * for the memory store. For the few tests that reach past the store (SCRIPT FLUSH, INFO).
 */
export async function sendToEveryServer(store: Store, command: string[]): Promise<unknown[]> {
  if (store instanceof RedisStore) return [await store.client.sendCommand(command)];
  if (store instanceof RedisClusterStore) return store.sendToEveryMaster(command);
  if (store instanceof RedisSentinelStore && store.primary) return [await store.primary.client.sendCommand(command)];
  return [];
}

/**
 * Waits until the store has noticed that its Redis is gone: its calls fail at once as not applied
 * (StoreUnavailableError) instead of being written to a connection that is about to break, whose calls would
 * have an unknown outcome. A kill is noticed when the socket closes, a moment after the process is gone.
 */
export async function untilNoticedDown(store: Store, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = await store.ping().then(() => undefined, (err: unknown) => err);
    if (failure instanceof StoreUnavailableError) return;
    if (Date.now() > deadline) throw new Error(`the store did not notice Redis was down within ${timeoutMs} ms (last: ${String(failure)})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A key prefix unique to one test, so tests sharing a store never see each other's keys. */
let counter = 0;
export function uniqueNamespace(): string {
  return `t${process.pid}x${++counter}x${Math.random().toString(36).slice(2, 8)}`;
}
