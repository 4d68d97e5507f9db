import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { ConfigError } from '../errors.js';
import { MemoryStore } from './memory-store.js';
import type { Store } from './port.js';
import { RedisClusterStore } from './redis-cluster-store.js';
import { RedisSentinelStore } from './redis-sentinel-store.js';
import { RedisStore } from './redis-store.js';

type StoreConfig = Pick<
  Config,
  | 'redisUrl'
  | 'redisCluster'
  | 'redisSentinels'
  | 'redisSentinelName'
  | 'redisUsername'
  | 'redisPassword'
  | 'redisSentinelPassword'
  | 'redisTls'
  | 'redisConnections'
  | 'clientCache'
  | 'redisCommandTimeoutMs'
  | 'redisWaitReplicas'
  | 'redisWaitTimeoutMs'
  | 'redisConnectTimeoutMs'
  | 'redisTlsCaFile'
  | 'redisTlsInsecure'
>;

/**
 * The store the configuration asks for: the primary that Redis Sentinels name when `redisSentinels` is set, Redis
 * when `redisUrl` is set (a Redis Cluster seeded by it when `redisCluster` is true), the embedded memory store
 * otherwise. Waits at most the connect timeout for Redis; an unreachable Redis still yields a (degraded) store.
 */
export async function createStore(config: StoreConfig, logger: Logger, metrics?: Metrics): Promise<Store> {
  const bounds = {
    commandTimeoutMs: config.redisCommandTimeoutMs,
    connectTimeoutMs: config.redisConnectTimeoutMs,
    tlsCaFile: config.redisTlsCaFile,
    tlsInsecure: config.redisTlsInsecure,
    logger,
  };
  const durability = config.redisWaitReplicas > 0 ? { replicas: config.redisWaitReplicas, timeoutMs: config.redisWaitTimeoutMs } : undefined;
  if (config.redisSentinels) {
    if (config.clientCache) throw new ConfigError('The client cache needs one Redis server: it is not available with Redis Sentinel');
    const store = new RedisSentinelStore({
      ...bounds,
      sentinels: config.redisSentinels,
      name: config.redisSentinelName ?? '',
      username: config.redisUsername,
      password: config.redisPassword,
      sentinelPassword: config.redisSentinelPassword,
      tls: config.redisTls,
      connections: config.redisConnections,
      durability,
    });
    await store.connect(config.redisConnectTimeoutMs);
    return store;
  }
  if (!config.redisUrl) return new MemoryStore();
  // Everything but the connection count is the same for one server and a cluster (one connection per master).
  const common = { ...bounds, url: config.redisUrl };
  if (config.redisCluster && config.clientCache) throw new ConfigError('The client cache needs one Redis server: it is not available on a cluster');
  const store = config.redisCluster
    ? new RedisClusterStore({ ...common, durability })
    : new RedisStore({ ...common, connections: config.redisConnections, durability, ...(config.clientCache ? { clientCache: config.clientCache, metrics } : {}) });
  await store.connect(config.redisConnectTimeoutMs);
  return store;
}
