import { NotInitializedError } from './errors.js';
import { loadConfig } from './config.js';
import { checkStore, type RedisStatus } from './health.js';
import { createRemembr, type Remembr, type RemembrOptions } from './remembr.js';
import type { Store } from './store/port.js';

/**
 * The guide's client lifecycle — `initRedis()` at start, `closeRedis()` at shutdown, `getRedisClient()` in
 * between — as a thin facade over one process-wide `Remembr`. Applications that want several, or tests, call
 * `createRemembr` directly.
 */
let current: Remembr | undefined;

/**
 * Connects the process-wide store. Without options it reads the environment (REDIS_URL and friends). If Redis
 * cannot be reached it still resolves: a warning is logged and operations degrade until Redis answers.
 */
export async function initRedis(options?: RemembrOptions): Promise<Remembr> {
  if (current) return current;
  current = await createRemembr(options ?? loadConfig());
  return current;
}

export async function closeRedis(): Promise<void> {
  const closing = current;
  current = undefined;
  await closing?.close();
}

/** The store behind `initRedis` (a Redis pool or the memory store): pass it to CacheService, or call `ping()`. */
export function getRedisClient(): Store {
  if (!current) throw new NotInitializedError();
  return current.store;
}

/** The guide's `redis_status`: `not_initialized` before `initRedis`. */
export function redisStatus(): Promise<RedisStatus> {
  return checkStore(current?.store);
}
