import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/index.js';
import {
  CacheService,
  checkStore,
  closeRedis,
  getRedisClient,
  initRedis,
  makeKey,
  makePattern,
  Metrics,
  NotInitializedError,
  redisStatus,
  type RedisStore,
} from '../src/index.js';
import { testConfig } from './support/app.js';
import { captureLog } from './support/log-capture.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';
import { openRedisStore, uniqueNamespace } from './support/stores.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` is true; a heal that never comes fails the test with the last value seen. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(last)} after ${timeoutMs} ms`);
    await sleep(50);
    last = await read();
  }
  return last;
}

/** A call's outcome and how long it took to settle. */
async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await call();
  return { value, ms: performance.now() - started };
}

/** The generous sanity bound of the brief: the real bound is the 1 s command timeout, which this only backs up. */
const SETTLE_BOUND_MS = 5000;

describe('CacheService on a Redis that is killed and comes back', () => {
  let server: RedisServer;
  let store: RedisStore;
  let cache: CacheService;
  const log = captureLog('debug');
  const metrics = new Metrics();
  const ns = uniqueNamespace();
  const key = makeKey(ns, 'user', '123');

  beforeAll(async () => {
    server = await startRedisServer();
    store = openRedisStore(server.url, { logger: log.logger, commandTimeoutMs: 1000 });
    expect(await store.connect(5000)).toBe(true);
    cache = new CacheService(store, { logger: log.logger, metrics });
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  /** Every operation of the guide's degradation table, each with the value it must give while Redis is away. */
  const table = () =>
    [
      ['get', () => cache.get(key), null],
      ['set', () => cache.set(key, { name: 'John' }, 60), false],
      ['exists', () => cache.exists(key), false],
      ['delete', () => cache.delete(key), false],
      ['expire', () => cache.expire(key, 60), false],
      ['ttl', () => cache.ttl(key), -2],
      ['increment', () => cache.increment(makeKey(ns, 'hits')), null],
      ['setMany', () => cache.setMany({ [key]: 1 }, 60), false],
      ['getMany', () => cache.getMany([key, makeKey(ns, 'other')]), {}],
      ['deletePattern', () => cache.deletePattern(makePattern(ns)), 0],
    ] as const;

  it('answers every call with its degraded value while Redis is down, then works again on the same instance', async () => {
    expect(await cache.set(key, { name: 'John' })).toBe(true);
    expect(await cache.increment(makeKey(ns, 'hits'))).toBe(1);
    log.clear();
    await server.kill();

    const latencies: Record<string, number> = {};
    for (const [operation, call, degraded] of table()) {
      const { value, ms } = await timed(call as () => Promise<unknown>);
      latencies[operation] = Math.round(ms);
      expect(value, operation).toEqual(degraded);
      expect(ms, `${operation} settled`).toBeLessThan(SETTLE_BOUND_MS);
    }
    // The same calls all at once: each must still settle with its degraded value.
    const together = await timed(() => Promise.all(table().map(([, call]) => (call as () => Promise<unknown>)())));
    expect(together.value).toEqual(table().map(([, , degraded]) => degraded));
    const max = Math.max(...Object.values(latencies), together.ms);
    console.log(`degraded-call latency with Redis down (ms): ${JSON.stringify(latencies)}; all ten at once: ${Math.round(together.ms)}; max ${Math.round(max)}`);

    for (const [operation] of table()) {
      expect(metrics.value('remembr_cache_errors_total', { operation }), operation).toBe(2);
      expect(metrics.value('remembr_cache_operations_total', { operation, outcome: 'error' }), operation).toBe(2);
    }
    const failures = log.entries().filter((line) => line.msg === 'Cache operation failed');
    expect(failures).toHaveLength(20);
    expect(failures.every((line) => line.level === 50 && typeof line.err === 'string' && (line.err as string).length > 0)).toBe(true);
    expect(failures.filter((line) => line.key === key).map((line) => line.operation).sort()).toEqual(
      ['delete', 'delete', 'exists', 'exists', 'expire', 'expire', 'get', 'get', 'set', 'set', 'ttl', 'ttl'],
    );
    expect(failures.find((line) => line.operation === 'deletePattern')?.key).toBe(makePattern(ns));

    await server.start();
    // The pool reconnects in the background; the instance is the one that failed a moment ago.
    await eventually(() => cache.set(key, { name: 'Jane' }, 60), (ok) => ok === true);
    expect(await cache.get(key)).toEqual({ name: 'Jane' });
    expect(await cache.exists(key)).toBe(true);
    expect(await cache.ttl(key)).toBeGreaterThan(58);
    expect(await cache.increment(makeKey(ns, 'hits'))).toBe(1);
    expect(await cache.getMany([key])).toEqual({ [key]: { name: 'Jane' } });
    expect(await cache.deletePattern(makePattern(ns))).toBe(2);
    // One line when the outage starts and one when it ends, however many reconnects and commands failed between.
    expect(connectionLines()).toEqual(['Redis connection lost', 'Redis connection restored']);
    expect(JSON.stringify(log.entries().find((line) => line.msg === 'Redis connection lost'))).toContain(`127.0.0.1:${server.port}`);
  });

  it('survives a second outage the same way, and logs it again', async () => {
    log.clear();
    await server.kill();
    expect(await cache.get(key)).toBeNull();
    expect(await cache.set(key, 1)).toBe(false);
    await server.start();
    await eventually(() => cache.set(key, 2), (ok) => ok === true);
    expect(await cache.get(key)).toBe(2);
    expect(connectionLines()).toEqual(['Redis connection lost', 'Redis connection restored']);
  });

  const connectionLines = () =>
    log
      .entries()
      .map((line) => String(line.msg))
      .filter((msg) => msg.startsWith('Redis connection'));
});

describe('CacheService on a Redis that stops answering (SIGSTOP)', () => {
  let server: RedisServer;
  let store: RedisStore;
  let cache: CacheService;
  const metrics = new Metrics();
  const key = makeKey(uniqueNamespace(), 'k');

  beforeAll(async () => {
    server = await startRedisServer();
    store = openRedisStore(server.url, { commandTimeoutMs: 1000 });
    expect(await store.connect(5000)).toBe(true);
    cache = new CacheService(store, { metrics });
  });
  afterAll(async () => {
    server?.resume();
    await store?.close();
    await server?.stop();
  });

  it('gives each call its degraded value after the command timeout instead of waiting, then recovers', async () => {
    expect(await cache.set(key, 1)).toBe(true);
    // No connection breaks here, so nothing fails fast: only the command timeout (1 s) stands between a caller
    // and a hang.
    server.pause();
    const calls: Array<[string, () => Promise<unknown>, unknown]> = [
      ['get', () => cache.get(key), null],
      ['set', () => cache.set(key, 2), false],
      ['exists', () => cache.exists(key), false],
      ['delete', () => cache.delete(key), false],
      ['expire', () => cache.expire(key, 60), false],
      ['ttl', () => cache.ttl(key), -2],
      ['increment', () => cache.increment(key), null],
      ['setMany', () => cache.setMany({ [key]: 3 }), false],
      ['getMany', () => cache.getMany([key]), {}],
      ['deletePattern', () => cache.deletePattern(makePattern('faults')), 0],
    ];
    const results = await Promise.all(calls.map(([, call]) => timed(call)));
    const latencies = Object.fromEntries(calls.map(([operation], i) => [operation, Math.round(results[i]!.ms)]));
    console.log(`degraded-call latency with Redis paused (ms): ${JSON.stringify(latencies)}`);
    results.forEach(({ value, ms }, i) => {
      expect(value, calls[i]![0]).toEqual(calls[i]![2]);
      expect(ms, `${calls[i]![0]} settled`).toBeLessThan(SETTLE_BOUND_MS);
    });
    expect(calls.every(([operation]) => metrics.value('remembr_cache_errors_total', { operation }) === 1)).toBe(true);
    // Health answers too, instead of hanging on a ping that never returns.
    expect(await checkStore(store)).toBe('unhealthy');

    server.resume();
    // A write that timed out may still have reached Redis (it answered late): the outcome of a timed-out call is
    // unknown, so only the recovery is asserted here.
    await eventually(() => cache.set(key, 'after'), (ok) => ok === true);
    expect(await cache.get(key)).toBe('after');
  });
});

describe('GET /api/v1/health while Redis goes away and returns', () => {
  let server: RedisServer;
  let app: FastifyInstance;
  const health = async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(res.statusCode).toBe(200);
    return res.json() as { status: string; redis_status: string; store: string };
  };

  beforeAll(async () => {
    server = await startRedisServer();
    app = await buildApp({ config: testConfig({ redisUrl: server.url }) });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await server?.stop();
  });

  it('reports healthy, then unhealthy/degraded while Redis is down, then healthy/ok after it returns', async () => {
    expect(await health()).toMatchObject({ status: 'ok', redis_status: 'healthy', store: 'redis' });
    await server.kill();
    expect(await health()).toMatchObject({ status: 'degraded', redis_status: 'unhealthy', store: 'redis' });
    // Cache calls through the app's own services degrade too, and are counted for /metrics.
    expect(await app.remembr.cache.get(makeKey('faults', 'x'))).toBeNull();
    expect(app.remembr.metrics.value('remembr_cache_errors_total', { operation: 'get' })).toBe(1);
    await server.start();
    await eventually(health, (body) => body.redis_status === 'healthy');
    expect(await health()).toMatchObject({ status: 'ok', redis_status: 'healthy' });
    expect(await app.remembr.cache.set(makeKey('faults', 'x'), 1)).toBe(true);
  });
});

describe('starting while Redis is not running at all', () => {
  let server: RedisServer;
  let app: FastifyInstance | undefined;
  const log = captureLog('info');

  beforeAll(async () => {
    // Reserve a port with a server of our own, then stop it: nothing listens there when the app starts.
    server = await startRedisServer();
    await server.kill();
  });
  afterAll(async () => {
    await app?.close();
    await server?.stop();
  });

  it('starts degraded with a warning, then heals when Redis appears', async () => {
    app = await buildApp({ config: testConfig({ redisUrl: server.url, redisConnectTimeoutMs: 300 }), logger: log.logger });
    await app.ready();
    const first = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ status: 'degraded', redis_status: 'unhealthy', store: 'redis' });
    expect(log.entries().some((line) => line.level === 40 && /not reachable/.test(String(line.msg)))).toBe(true);
    expect(await app.remembr.cache.set(makeKey('faults', 'early'), 1)).toBe(false);

    await server.start();
    await eventually(
      async () => (await app!.inject({ method: 'GET', url: '/api/v1/health' })).json().redis_status as string,
      (status) => status === 'healthy',
    );
    expect(await app.remembr.cache.set(makeKey('faults', 'late'), 1)).toBe(true);
    expect(await app.remembr.cache.get(makeKey('faults', 'late'))).toBe(1);
  });
});

describe('the initRedis / getRedisClient / closeRedis facade', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterEach(async () => {
    await closeRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses getRedisClient before initRedis with NotInitializedError, and reports not_initialized', async () => {
    expect(() => getRedisClient()).toThrow(NotInitializedError);
    expect(() => getRedisClient()).toThrow(/not initialized/);
    expect(await redisStatus()).toBe('not_initialized');
  });

  it('initRedis connects, getRedisClient serves a working store, closeRedis closes it', async () => {
    const remembr = await initRedis({ redisUrl: server.url });
    expect(await initRedis({ redisUrl: 'redis://127.0.0.1:1' })).toBe(remembr);
    const client = getRedisClient();
    expect(client.kind).toBe('redis');
    expect(await redisStatus()).toBe('healthy');
    const cache = new CacheService(client);
    const key = makeKey('facade', 'k');
    expect(await cache.set(key, 'v')).toBe(true);
    expect(await cache.get(key)).toBe('v');

    await closeRedis();
    expect(() => getRedisClient()).toThrow(NotInitializedError);
    expect(await redisStatus()).toBe('not_initialized');
    // The pool that was handed out is closed with it.
    await expect(client.ping()).rejects.toThrow();
    await closeRedis();
  });

  it('runs on the memory store without a Redis URL', async () => {
    await initRedis({});
    expect(getRedisClient().kind).toBe('memory');
    expect(await redisStatus()).toBe('healthy');
  });

  it('starts even when Redis is down, reporting unhealthy', async () => {
    await server.kill();
    try {
      await initRedis({ redisUrl: server.url, redisConnectTimeoutMs: 200 });
      expect(await redisStatus()).toBe('unhealthy');
    } finally {
      await closeRedis();
      await server.start();
    }
  });
});
