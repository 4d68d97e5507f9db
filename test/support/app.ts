import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { DEFAULTS, type Config } from '../../src/index.js';
import { observeStatuses } from './documented-statuses.js';
import { captureLogger } from './log-capture.js';
import { startRedisCluster, type RedisCluster } from './redis-cluster.js';
import { startRedisSentinelSet, type RedisSentinelSet } from './redis-sentinel.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { ALICE_KEY, BOB_KEY } from './secrets.js';
import type { Backend } from './stores.js';

/** Two tenants for the HTTP suites. */
export { ALICE_KEY, BOB_KEY };
export const as = (key: string) => ({ authorization: `Bearer ${key}` });
export const asAlice = as(ALICE_KEY);
export const asBob = as(BOB_KEY);

/** Requests through `app.inject` as one of `users` (user id → API key), and the health answer. */
export function callersOf<User extends string>(app: () => FastifyInstance, users: Record<User, string>) {
  return {
    call: (user: User, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      app().inject({ method, url: `/api/v1${url}`, headers: as(users[user]), ...(payload ? { payload } : {}) }),
    health: async () => (await app().inject({ method: 'GET', url: '/api/v1/health' })).json(),
  };
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...DEFAULTS,
    apiKeys: [
      { userId: 'alice', key: ALICE_KEY },
      { userId: 'bob', key: BOB_KEY },
    ],
    // High enough that suites not about rate limiting never meet it.
    rateLimitPerMinute: 1_000_000,
    authFailuresPerMinute: 1_000_000,
    ...overrides,
  };
}

/** The configuration that points Remembr at a Sentinel set (its Sentinels, its name, the data nodes' password). */
export function sentinelConfig(set: RedisSentinelSet, password?: string): Partial<Config> {
  return { redisSentinels: [...set.sentinels], redisSentinelName: set.name, redisPassword: password };
}

/**
 * A Fastify app (not listening; use `app.inject`) on the given backend, for the describe block it is called in.
 * On `redis` it runs on a redis-server of its own, on `cluster` on a Redis Cluster of its own, on `sentinel` on a
 * Sentinel set of its own. Every status it answers must be documented for its route (see documented-statuses.ts):
 * closing it fails otherwise.
 */
export function useApp(
  backend: Backend,
  overrides: Partial<Config> = {},
): { readonly app: FastifyInstance; readonly server?: RedisServer; readonly cluster?: RedisCluster; readonly sentinels?: RedisSentinelSet } {
  const holder: { app: FastifyInstance; server?: RedisServer; cluster?: RedisCluster; sentinels?: RedisSentinelSet } = {} as never;
  beforeAll(async () => {
    if (backend === 'redis') holder.server = await startRedisServer();
    if (backend === 'cluster') holder.cluster = await startRedisCluster();
    if (backend === 'sentinel') holder.sentinels = await startRedisSentinelSet();
    const redisUrl = holder.server?.url ?? holder.cluster?.url;
    holder.app = await buildApp({
      config: testConfig({
        redisUrl,
        redisCluster: backend === 'cluster',
        ...(holder.sentinels ? sentinelConfig(holder.sentinels) : {}),
        ...overrides,
      }),
      logger: captureLogger(),
    });
    observeStatuses(holder.app);
    await holder.app.ready();
  });
  afterAll(async () => {
    await holder.app?.close();
    await holder.server?.stop();
    await holder.cluster?.stop();
    await holder.sentinels?.stop();
  });
  return holder;
}
