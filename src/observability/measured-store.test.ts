import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../errors.js';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server.js';
import { openRedisStore } from '../../test/support/stores.js';
import type { RedisStore } from '../store/redis-store.js';
import { MeasuredStore } from './measured-store.js';
import { Metrics, type CounterFamily, type HistogramFamily } from './metrics.js';

const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);

/** Store failures by kind, from real faults of a real redis-server: out of memory, a hung server, a dead one. */
describe('MeasuredStore on a redis-server that fails in each way', () => {
  let server: RedisServer;
  let raw: RedisStore;
  let store: MeasuredStore;
  let failures: CounterFamily;
  const metrics = new Metrics();
  beforeAll(async () => {
    server = await startRedisServer();
    raw = openRedisStore(server.url, { commandTimeoutMs: 300, connections: 1 });
    await raw.connect(2000);
    store = new MeasuredStore(raw, metrics);
    failures = metrics.family('remembr_store_failures_total') as CounterFamily;
  });
  afterAll(async () => {
    await raw?.close();
    await server?.stop();
  });

  it('times every call by operation and counts none as failed while Redis answers', async () => {
    await store.set('remembr:t:a', '1');
    expect(await store.get('remembr:t:a')).toBe('1');
    const text = await metrics.exposition();
    expect(text).toContain('remembr_store_command_duration_seconds_count{store="redis",operation="set"} 1');
    expect(text).toContain('remembr_store_command_duration_seconds_count{store="redis",operation="get"} 1');
    expect(failures.total()).toBe(0);
  });

  it('observes every get and set exactly once, timed inside the store\'s own deadline bookkeeping', async () => {
    const family = metrics.family('remembr_store_command_duration_seconds') as HistogramFamily;
    const before = { get: sum(family.counts({ operation: 'get' })), set: sum(family.counts({ operation: 'set' })) };
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.set(`remembr:t:n${i}`, String(i), 60)));
    const read = await Promise.all(Array.from({ length: 120 }, (_, i) => store.get(`remembr:t:n${i % 60}`)));
    expect(read.filter((value) => value !== null)).toHaveLength(100);
    expect(sum(family.counts({ operation: 'set' })) - before.set).toBe(50);
    expect(sum(family.counts({ operation: 'get' })) - before.get).toBe(120);
    // The raw store underneath stays untimed: direct access is not a service's call.
    await raw.get('remembr:t:n1');
    expect(sum(family.counts({ operation: 'get' })) - before.get).toBe(120);
    expect(failures.total()).toBe(0);
  });

  it('counts a write refused at maxmemory as out_of_memory', async () => {
    await raw.client.sendCommand(['CONFIG', 'SET', 'maxmemory', '1']);
    try {
      await expect(store.set('remembr:t:b', 'x'.repeat(1000))).rejects.toThrow();
    } finally {
      await raw.client.sendCommand(['CONFIG', 'SET', 'maxmemory', '0']);
    }
    expect(failures.value({ store: 'redis', operation: 'set', kind: 'out_of_memory' })).toBe(1);
  });

  it('refuses a whole setMany at maxmemory: nothing of the batch lands, and it is counted as out_of_memory', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `remembr:t:oom${i}`);
    await raw.client.sendCommand(['CONFIG', 'SET', 'maxmemory', '1']);
    try {
      await expect(store.setMany(keys.map((key) => [key, 'x'.repeat(1000)] as const), 60)).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await raw.client.sendCommand(['CONFIG', 'SET', 'maxmemory', '0']);
    }
    expect(await store.getMany(keys)).toEqual(keys.map(() => null));
    expect(failures.value({ store: 'redis', operation: 'setMany', kind: 'out_of_memory' })).toBe(1);
    // Once memory is back the same batch lands whole, every key with its TTL.
    await store.setMany(keys.map((key) => [key, 'v'] as const), 60);
    for (const key of keys) expect(await store.ttl(key)).toBeGreaterThan(50);
  });

  it('counts no answer from a hung server as timeout', async () => {
    server.pause();
    try {
      await expect(store.get('remembr:t:a')).rejects.toThrow(/no answer within/);
    } finally {
      server.resume();
    }
    expect(failures.value({ store: 'redis', operation: 'get', kind: 'timeout' })).toBe(1);
  });

  it('counts a call to a dead server as connection', async () => {
    await server.kill();
    await expect(store.exists('remembr:t:a')).rejects.toThrow();
    expect(failures.value({ store: 'redis', operation: 'exists', kind: 'connection' })).toBe(1);
    await server.start();
  });
});
