import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheService } from '../src/cache/cache-service.js';
import { makeKey } from '../src/keys.js';
import { Metrics } from '../src/observability/metrics.js';
import { SessionStore } from '../src/sessions/session-store.js';
import type { RedisStore } from '../src/store/redis-store.js';
import { startRemoteWriter, type RemoteWriter } from './support/remote-writer-client.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';
import { openRedisStore, uniqueNamespace } from './support/stores.js';

/**
 * The client cache against a redis-server of the test's own, with a writer in another process (another instance
 * of a service, as far as Redis can tell). What must hold: once Redis's invalidation of a key has arrived here, no
 * read started after it returns the value from before the write; this process's own writes are read back at once;
 * a lost connection drops everything. The staleness window (write sent there → invalidation here) is printed, not
 * asserted: it is a timing.
 */
const yieldToIo = () => new Promise((resolve) => setImmediate(resolve));

describe('client cache (RESP3 tracking) with a writer in another process', () => {
  let server: RedisServer;
  let writer: RemoteWriter;
  let store: RedisStore;
  let metrics: Metrics;
  let cache: CacheService;
  let sessions: SessionStore;

  beforeAll(async () => {
    server = await startRedisServer();
    writer = await startRemoteWriter(server.url);
    metrics = new Metrics();
    // Two connections: an invalidation then often arrives on another connection than the one a read takes.
    store = openRedisStore(server.url, { connections: 2, commandTimeoutMs: 5000, clientCache: {}, metrics });
    await store.connect(5000);
    cache = new CacheService(store, { metrics });
    sessions = new SessionStore(store, { metrics });
  }, 30_000);

  afterAll(async () => {
    await store?.close();
    await writer?.stop();
    await server?.stop();
  });

  /** Resolves at the next invalidation of `key` here, with its wall-clock moment. */
  const nextInvalidation = (key: string) =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no invalidation of ${key} within 5 s`)), 5000);
      const listener = (invalidated: string | null) => {
        if (invalidated !== null && invalidated !== key) return;
        clearTimeout(timer);
        store.clientCache!.off('invalidate', listener);
        resolve(performance.timeOrigin + performance.now());
      };
      store.clientCache!.on('invalidate', listener);
    });

  it('serves no value older than an invalidation that has arrived, under 32 concurrent readers (0 stale reads)', async () => {
    const key = makeKey(uniqueNamespace(), 'doc');
    await writer.send(['SET', key, JSON.stringify({ version: 0 })]);
    let delivered = 0;
    let stale = 0;
    let reads = 0;
    let stop = false;
    const readers = Array.from({ length: 32 }, async () => {
      while (!stop) {
        // A read started after the invalidation of write N arrived must see N or later.
        const floor = delivered;
        const value = await cache.get<{ version: number }>(key);
        reads++;
        if (value === null || value.version < floor) stale++;
        // A hit never leaves the process: without a turn of the event loop these readers would starve the socket.
        await yieldToIo();
      }
    });
    const windowsMs: number[] = [];
    for (let version = 1; version <= 100; version++) {
      await cache.get(key); // tracked on the connection that read it
      const invalidated = nextInvalidation(key);
      const write = await writer.send(['SET', key, JSON.stringify({ version })]);
      const arrivedAt = await invalidated;
      delivered = version;
      windowsMs.push(arrivedAt - write.sentAt);
      expect((await cache.get<{ version: number }>(key))?.version).toBe(version);
    }
    stop = true;
    await Promise.all(readers);
    expect(stale).toBe(0);
    expect(reads).toBeGreaterThan(100);
    expect(metrics.value('remembr_client_cache_lookups_total', { outcome: 'hit' })).toBeGreaterThan(0);
    expect(metrics.value('remembr_client_cache_invalidations_total')).toBeGreaterThanOrEqual(100);
    windowsMs.sort((a, b) => a - b);
    console.log(
      `client cache staleness window (write sent in another process → invalidation here), 100 writes: ` +
        `median ${windowsMs[50]!.toFixed(2)} ms, max ${windowsMs[99]!.toFixed(2)} ms; ${reads} reads, 0 stale`,
    );
  });

  it('reads a key deleted by another process as missing once the invalidation arrives', async () => {
    const key = makeKey(uniqueNamespace(), 'gone');
    await writer.send(['SET', key, JSON.stringify('here')]);
    expect(await cache.get(key)).toBe('here');
    expect(await cache.get(key)).toBe('here');
    const invalidated = nextInvalidation(key);
    await writer.send(['DEL', key]);
    await invalidated;
    expect(await cache.get(key)).toBeNull();
  });

  it('caches a missing key and sees it once another process creates it', async () => {
    const key = makeKey(uniqueNamespace(), 'later');
    expect(await cache.get(key)).toBeNull();
    const hits = metrics.value('remembr_client_cache_lookups_total', { outcome: 'hit' });
    expect(await cache.get(key)).toBeNull();
    expect(metrics.value('remembr_client_cache_lookups_total', { outcome: 'hit' })).toBe(hits + 1);
    const invalidated = nextInvalidation(key);
    await writer.send(['SET', key, JSON.stringify(7)]);
    await invalidated;
    expect(await cache.get(key)).toBe(7);
  });

  it('serves session reads from the cache, and follows another process expiring or deleting the session', async () => {
    const session = await sessions.create('alice', { agentId: 'bot' });
    const sessionKey = `remembr:session:{alice}:${session.sessionId}`;
    expect(await writer.send(['EXISTS', sessionKey])).toMatchObject({ reply: 1 });
    expect((await sessions.get('alice', session.sessionId))?.expiresIn).toBeGreaterThan(3590);
    const hits = metrics.value('remembr_client_cache_lookups_total', { outcome: 'hit' });
    const again = await sessions.get('alice', session.sessionId);
    expect(metrics.value('remembr_client_cache_lookups_total', { outcome: 'hit' })).toBe(hits + 1);
    expect(again?.agentId).toBe('bot');

    let invalidated = nextInvalidation(sessionKey);
    await writer.send(['PEXPIRE', sessionKey, '20000']);
    await invalidated;
    const shortened = await sessions.get('alice', session.sessionId);
    expect(shortened?.expiresIn).toBeLessThanOrEqual(20);

    invalidated = nextInvalidation(sessionKey);
    await writer.send(['DEL', sessionKey]);
    await invalidated;
    expect(await sessions.get('alice', session.sessionId)).toBeNull();
  });

  it("reads this process's own writes back at once, across both connections, while others read", async () => {
    const key = makeKey(uniqueNamespace(), 'mine');
    let stop = false;
    const readers = Array.from({ length: 16 }, async () => {
      while (!stop) {
        await cache.get(key);
        await yieldToIo();
      }
    });
    for (let i = 0; i < 200; i++) {
      expect(await cache.set(key, i)).toBe(true);
      expect(await cache.get(key)).toBe(i);
    }
    expect(await cache.increment(makeKey(uniqueNamespace(), 'n'))).toBe(1);
    expect(await cache.delete(key)).toBe(true);
    expect(await cache.get(key)).toBeNull();
    stop = true;
    await Promise.all(readers);
  });

  it('hands every caller the same frozen value, so no caller can change what the next one reads', async () => {
    const key = makeKey(uniqueNamespace(), 'shared');
    await cache.set(key, { tags: ['a'], owner: { name: 'ada' } });
    const first = await cache.get<{ tags: string[]; owner: { name: string } }>(key);
    const second = await cache.get<{ tags: string[]; owner: { name: string } }>(key);
    expect(second).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first!.tags) && Object.isFrozen(first!.owner)).toBe(true);
    expect(() => first!.tags.push('b')).toThrow(TypeError);
    expect(await cache.getMany([key])).toEqual({ [key]: { tags: ['a'], owner: { name: 'ada' } } });
  });

  it('never serves a value past its TTL, even before Redis expires the key', async () => {
    const key = makeKey(uniqueNamespace(), 'brief');
    await writer.send(['SET', key, JSON.stringify('soon gone'), 'PX', '300']);
    expect(await cache.get(key)).toBe('soon gone');
    // Redis only invalidates an expired key when it deletes it (on access or by its expiry cycle): the entry's
    // own TTL must end it first. Wait past the TTL without touching the key in Redis meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await cache.get(key)).toBeNull();
  });

  it('drops the whole cache when its connection is lost, and reads Redis afresh after it returns', async () => {
    const key = makeKey(uniqueNamespace(), 'before-crash');
    await cache.set(key, 'old');
    expect(await cache.get(key)).toBe('old');
    expect(store.clientCache!.size).toBeGreaterThan(0);
    const drops = metrics.value('remembr_client_cache_drops_total');
    await server.kill();
    // node-redis reports the lost socket at once; the provider drops every entry then.
    await expect.poll(() => store.clientCache!.size, { timeout: 5000 }).toBe(0);
    expect(metrics.value('remembr_client_cache_drops_total')).toBeGreaterThan(drops);
    expect(await cache.get(key)).toBeNull(); // degraded: the store is down, nothing is served from memory
    // The restarted server has no data (no persistence): a cache that kept "old" would still answer it.
    await server.start();
    await expect.poll(async () => (await store.ping().then(() => true, () => false)), { timeout: 10_000 }).toBe(true);
    expect(await cache.get(key)).toBeNull();
    // Tracking is on again on the new connections.
    await writer.send(['PING']).catch(() => undefined);
  }, 30_000);
});

describe('client cache bounds', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('holds at most maxEntries and maxBytes, evicting the least recently used', async () => {
    const metrics = new Metrics();
    const store = openRedisStore(server.url, { connections: 1, clientCache: { maxEntries: 10, maxBytes: 4096 }, metrics });
    await store.connect(5000);
    try {
      const cache = new CacheService(store);
      const ns = uniqueNamespace();
      const keys = Array.from({ length: 50 }, (_, i) => makeKey(ns, i));
      await cache.setMany(Object.fromEntries(keys.map((key) => [key, 'x'.repeat(300)])));
      for (const key of keys) await cache.get(key);
      expect(store.clientCache!.size).toBeLessThanOrEqual(10);
      expect(store.clientCache!.bytes).toBeLessThanOrEqual(4096);
      expect(metrics.value('remembr_client_cache_evictions_total')).toBeGreaterThanOrEqual(40);
      // The most recently read keys are the ones kept.
      const hits = metrics.value('remembr_client_cache_lookups_total', { outcome: 'hit' });
      await cache.get(keys[49]!);
      expect(metrics.value('remembr_client_cache_lookups_total', { outcome: 'hit' })).toBe(hits + 1);
      await cache.get(keys[0]!);
      expect(metrics.value('remembr_client_cache_lookups_total', { outcome: 'hit' })).toBe(hits + 1);
    } finally {
      await store.close();
    }
  });
});
