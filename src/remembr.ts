import { CacheService } from './cache/cache-service.js';
import { DEFAULTS, describeRedisUrl, type Config } from './config.js';
import { checkStore, type RedisStatus } from './health.js';
import { silentLogger, type Logger } from './observability/logger.js';
import { Metrics } from './observability/metrics.js';
import { createStore } from './store/create-store.js';
import type { Store } from './store/port.js';

/** What `createRemembr` needs: any subset of Config, the rest from DEFAULTS. */
export type RemembrOptions = Partial<Config> & {
  logger?: Logger;
  /** Use this store instead of making one (it is then the caller's to close). */
  store?: Store;
};

/**
 * Remembr wired together: the composition root. It makes the store from the configuration and the services on
 * top of it, and `close()` closes what it opened. The HTTP service and the `initRedis` facade both use it;
 * tests make as many as they like.
 */
export interface Remembr {
  readonly config: Config;
  readonly store: Store;
  readonly cache: CacheService;
  readonly metrics: Metrics;
  readonly logger: Logger;
  health(): Promise<RedisStatus>;
  close(): Promise<void>;
}

export async function createRemembr(options: RemembrOptions = {}): Promise<Remembr> {
  const { logger = silentLogger, store: given, ...overrides } = options;
  const config: Config = { ...DEFAULTS, apiKeys: [], ...overrides };
  const metrics = new Metrics();
  logger.info({ store: describeRedisUrl(config.redisUrl) }, 'Remembr store starting');
  const store = given ?? (await createStore(config, logger));
  const cache = new CacheService(store, { logger, metrics });
  return {
    config,
    store,
    cache,
    metrics,
    logger,
    health: () => checkStore(store),
    close: async () => {
      if (!given) await store.close();
    },
  };
}
