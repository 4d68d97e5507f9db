import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLog } from '../../test/support/log-capture.js';
import { startRedisCluster, type RedisCluster } from '../../test/support/redis-cluster.js';
import { openRedisClusterStore, uniqueNamespace } from '../../test/support/stores.js';
import { StoreError, StoreUnavailableError } from '../errors.js';
import { hashTag, makeKey } from '../keys.js';
import { groupBySlot, hashSlot } from './hash-slot.js';
import type { Script } from './port.js';
import type { RedisClusterStore } from './redis-cluster-store.js';

/**
 * What only a cluster can show: slots computed like Redis computes them, many-key operations split by slot (and
 * landing on every master), scripts refused across slots, and a store that waits out a seed that is down at start.
 * The store contract itself runs on the cluster in store.contract.test.ts.
 */
const lua = "redis.call('SET', KEYS[2], redis.call('GET', KEYS[1])) return 1";
const copyScript: Script = {
  name: 'copy',
  lua,
  sha: createHash('sha1').update(lua).digest('hex'),
  local: () => 1,
};

describe('RedisClusterStore on a three-master cluster', () => {
  let cluster: RedisCluster;
  let store: RedisClusterStore;
  const log = captureLog('debug');

  beforeAll(async () => {
    cluster = await startRedisCluster();
    store = openRedisClusterStore(cluster.url, { logger: log.logger });
    expect(await store.connect(10_000)).toBe(true);
  });
  afterAll(async () => {
    await store?.close();
    await cluster?.stop();
  });

  /** Calls of one command summed over the masters, from INFO commandstats; those that failed (NOSCRIPT) not counted. */
  const calls = async (command: string) => {
    const infos = await store.sendToEveryMaster(['INFO', 'commandstats']);
    return infos.reduce<number>((sum, info) => {
      const line = new RegExp(`cmdstat_${command}:calls=(\\d+).*failed_calls=(\\d+)`).exec(String(info));
      return sum + Number(line?.[1] ?? 0) - Number(line?.[2] ?? 0);
    }, 0);
  };

  it('computes the slot of a key exactly as Redis does', async () => {
    const keys = [
      makeKey('session', hashTag('alice'), 'abc'),
      makeKey('ratelimit', hashTag('user_bob'), 'api', 'gcra'),
      makeKey('cache', 'user', '123'),
      'plain',
      '',
      '{}',
      '{}{tag}',
      'a{}b',
      'x{tag}y{other}',
      '{tag',
      'tag}',
      '}{tag}',
      '{{tag}}',
      'ключ-{ü}-✓',
      '😀{😀}',
    ];
    for (const key of keys) {
      const [reply] = await store.sendToEveryMaster(['CLUSTER', 'KEYSLOT', key]);
      expect(hashSlot(key), JSON.stringify(key)).toBe(Number(reply));
    }
  });

  it('spreads the keys of one setMany over every master, and getMany, scan and delete find them all', async () => {
    const ns = uniqueNamespace();
    const keys = Array.from({ length: 300 }, (_, i) => makeKey(ns, 'k', i));
    await store.setMany(keys.map((key, i) => [key, String(i)] as const));
    const sizes = (await store.sendToEveryMaster(['DBSIZE'])).map(Number);
    expect(sizes).toHaveLength(3);
    // Each master holds part of them: the operation really crossed nodes.
    expect(sizes.every((size) => size > 0)).toBe(true);
    expect(await store.getMany(keys)).toEqual(keys.map((_, i) => String(i)));
    const seen: string[] = [];
    for await (const batch of store.scan(`remembr:${ns}:k:*`, 50)) seen.push(...batch);
    expect(seen.sort()).toEqual([...keys].sort());
    expect(await store.delete(keys)).toBe(300);
  });

  it('writes one slot at a time: the set-many script (or MSET) where a slot has several keys, a plain SET where it has one', async () => {
    const ns = uniqueNamespace();
    const tagged = Array.from({ length: 10 }, (_, i) => makeKey(ns, hashTag('together'), i));
    const spread = Array.from({ length: 40 }, (_, i) => makeKey(ns, 'apart', i));
    const keys = [...tagged, ...spread];
    const crowdedSlots = [...groupBySlot(keys).values()].filter((positions) => positions.length > 1).length;
    const loneKeys = [...groupBySlot(keys).values()].filter((positions) => positions.length === 1).length;
    // The ten tagged keys share a slot, so there is at least that one.
    expect(crowdedSlots).toBeGreaterThanOrEqual(1);

    const scripts = async () => (await calls('evalsha')) + (await calls('eval'));
    const [scriptsBefore, msetBefore, setBefore] = [await scripts(), await calls('mset'), await calls('set')];
    await store.setMany(keys.map((key) => [key, 'v'] as const), 60);
    expect((await scripts()) - scriptsBefore).toBe(crowdedSlots);
    for (const key of keys) expect(await store.ttl(key)).toBeGreaterThan(0);
    await store.setMany(keys.map((key) => [key, 'w'] as const));
    expect((await calls('mset')) - msetBefore).toBe(crowdedSlots);
    // Lone keys of both calls, plus the SETs the script ran (counted by Redis too).
    expect((await calls('set')) - setBefore).toBe(2 * loneKeys + (keys.length - loneKeys));
    expect(await store.getMany(keys)).toEqual(keys.map(() => 'w'));
  });

  it('refuses a script whose keys are in different slots with CROSSSLOT, a bug and not an outage, and writes nothing', async () => {
    const ns = uniqueNamespace();
    const [from, to] = [makeKey(ns, hashTag('one'), 'from'), makeKey(ns, hashTag('two'), 'to')];
    expect(hashSlot(from)).not.toBe(hashSlot(to));
    await store.set(from, 'value');
    const error = await store.run(copyScript, [from, to], []).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/^CROSSSLOT/);
    expect(await store.exists(to)).toBe(false);
    // The same keys under one tag run.
    const sameSlot = makeKey(ns, hashTag('one'), 'to');
    expect(await store.run(copyScript, [from, sameSlot], [])).toBe(1);
    expect(await store.get(sameSlot)).toBe('value');
  });

  it('starts degraded when its seed is down, fails fast meanwhile, and connects by itself once the seed is back', async () => {
    const seedLog = captureLog('debug');
    const seed = cluster.nodes[0]!;
    await seed.kill();
    const late = openRedisClusterStore(seed.url, { logger: seedLog.logger, commandTimeoutMs: 500 });
    try {
      expect(await late.connect(300)).toBe(false);
      const key = makeKey(uniqueNamespace(), 'k');
      await expect(late.get(key)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(late.setMany([[key, 'v']])).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(late.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await seed.start();
      await cluster.waitForState('ok');
      await expect.poll(() => late.ping().then(() => 'answers', () => 'not yet'), { timeout: 15_000, interval: 100 }).toBe('answers');
      await late.set(key, 'v');
      expect(await late.get(key)).toBe('v');
      const lines = seedLog.entries().filter((line) => /^Redis connection (lost|restored)$/.test(String(line.msg)));
      expect(lines.map((line) => [line.msg, line.redis])).toEqual([
        ['Redis connection lost', `redis://127.0.0.1:${seed.port}`],
        ['Redis connection restored', `redis://127.0.0.1:${seed.port}`],
      ]);
    } finally {
      await late.close();
    }
  });

  it('closes promptly while its seed hangs mid-connection', async () => {
    const seed = cluster.nodes[1]!;
    seed.pause();
    const stuck = openRedisClusterStore(seed.url, { commandTimeoutMs: 300, connectTimeoutMs: 5000 });
    try {
      expect(await stuck.connect(200)).toBe(false);
      // A close that waited for the hung connection attempt would time this test out.
      await stuck.close();
    } finally {
      seed.resume();
    }
    await cluster.waitForState('ok');
  });
});
