import { CacheService } from './cache/cache-service.js';
import { DEFAULTS, describeStore, type Config } from './config.js';
import { checkStore, type RedisStatus } from './health.js';
import { silentLogger, type Logger } from './observability/logger.js';
import { MeasuredStore } from './observability/measured-store.js';
import { Metrics } from './observability/metrics.js';
import { StoreMonitor } from './observability/store-monitor.js';
import { ChargedStore } from './rate-limit/charged-store.js';
import { createRateLimiter } from './rate-limit/create-rate-limiter.js';
import type { RateLimiter } from './rate-limit/rate-limiter.js';
import { ShortTermMemory } from './memory/short-term-memory.js';
import { SessionStore } from './sessions/session-store.js';
import { createStore } from './store/create-store.js';
import type { Store } from './store/port.js';
import { TaskResultStore } from './tasks/task-result-store.js';

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
  /** Requests per caller: `rateLimitPerMinute` over 60 s, failing `rateLimitFailMode` when the store is down. */
  readonly rateLimiter: RateLimiter;
  readonly tasks: TaskResultStore;
  /** Sessions of each user, with a sliding `SESSION_TTL`. */
  readonly sessions: SessionStore;
  /** The short-term window of each session, within `shortTermMaxTokens`. */
  readonly memory: ShortTermMemory;
  /** This instance's metrics (its own prom-client Registry). */
  readonly metrics: Metrics;
  /** Background samples of the store (INFO per node, connections, up), for /metrics and the dashboard. */
  readonly monitor: StoreMonitor;
  readonly logger: Logger;
  health(): Promise<RedisStatus>;
  close(): Promise<void>;
}

export async function createRemembr(options: RemembrOptions = {}): Promise<Remembr> {
  const { logger = silentLogger, store: given, ...overrides } = options;
  const config: Config = { ...DEFAULTS, apiKeys: [], ...overrides };
  const metrics = new Metrics();
  logger.info({ store: describeStore(config) }, 'Remembr store starting');
  const store = given ?? (await createStore(config, logger, metrics));
  // The services run on a store that times every call and counts its failures; `store` stays the raw one. Over it,
  // a request's rate-limit charge rides on the request's first script (one round trip, see rate-limit/charge.ts):
  // a refused charge is then no store failure, and the limiter's own checks, on `measured`, are never held for one.
  const measured = new MeasuredStore(store, metrics);
  const charged = new ChargedStore(measured);
  const monitor = new StoreMonitor(store, metrics, {
    maxConnections: config.redisMaxConnections,
    intervalMs: config.metricsSampleIntervalMs,
    logger,
  });
  monitor.start();
  const cache = new CacheService(charged, { logger, metrics });
  const rateLimiter = createRateLimiter(measured, {
    limit: config.rateLimitPerMinute,
    windowSeconds: 60,
    failMode: config.rateLimitFailMode,
    logger,
    metrics,
  });
  const idempotencyTtlSeconds = config.idempotencyTtlSeconds;
  const tasks = new TaskResultStore(charged, { idempotencyTtlSeconds });
  const sessions = new SessionStore(charged, { logger, metrics, idempotencyTtlSeconds, tokenEncoding: config.tokenEncoding });
  const memory = new ShortTermMemory(charged, {
    logger,
    metrics,
    maxTokens: config.shortTermMaxTokens,
    maxMessageBytes: config.maxMessageBytes,
    tokenEncoding: config.tokenEncoding,
    idempotencyTtlSeconds,
  });
  return {
    config,
    store,
    cache,
    rateLimiter,
    tasks,
    sessions,
    memory,
    metrics,
    monitor,
    logger,
    health: () => checkStore(store),
    close: async () => {
      monitor.stop();
      if (!given) await store.close();
    },
  };
}
