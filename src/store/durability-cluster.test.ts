import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisCluster, type RedisCluster } from '../../test/support/redis-cluster.js';
import type { RedisServer } from '../../test/support/redis-server.js';
import { openRedisClusterStore, uniqueNamespace } from '../../test/support/stores.js';
import { OutcomeUnknownError } from '../errors.js';
import { hashTag, makeKey } from '../keys.js';
import { hashSlot } from './hash-slot.js';
import { defineScript } from './script.js';
import type { RedisClusterStore } from './redis-cluster-store.js';

const addScript = defineScript('test-add', new URL('../../test/support/add.lua', import.meta.url), (db, [key], [by]) => db.incrBy(key!, Number(by)));

/**
 * Durable acknowledgements on a cluster of three masters with one replica each: a write is answered once the
 * replica of the master that took it has it (WAIT on that master's connection, not fanned out to every master), and
 * when that replica does not confirm in time the answer is OutcomeUnknownError (the master applied it), while the
 * other masters' slots go on confirming.
 */
describe('durable acknowledgements (WAIT) on a Redis Cluster with replicas', () => {
  let cluster: RedisCluster;
  let store: RedisClusterStore;
  /** Per master as created: a tag whose slot it serves, and a READONLY connection to its replica. */
  const shards: Array<{ tag: string; master: RedisServer; replica: RedisServer; read: (key: string) => Promise<unknown> }> = [];
  const readers: Array<{ close(): Promise<unknown> }> = [];

  beforeAll(async () => {
    cluster = await startRedisCluster({ replicas: 1 });
    store = openRedisClusterStore(cluster.url, { commandTimeoutMs: 2000, durability: { replicas: 1, timeoutMs: 300 } });
    expect(await store.connect(10_000)).toBe(true);
    for (const master of cluster.nodes.slice(0, 3)) {
      let n = 0;
      while ((await cluster.masterOf(hashSlot(`shard${n}`))) !== master) n++;
      const replica = await cluster.replicaOf(master);
      // READONLY: the replica answers reads of its master's slots itself instead of redirecting them.
      const reader = createClient({ url: replica.url, disableOfflineQueue: true });
      await reader.connect();
      await reader.sendCommand(['READONLY']);
      readers.push(reader);
      shards.push({ tag: `shard${n}`, master, replica, read: (key) => reader.sendCommand(['GET', key]) });
    }
  }, 60_000);
  afterAll(async () => {
    await Promise.all(readers.map((reader) => reader.close()));
    await store?.close();
    await cluster?.stop();
  });

  it('acknowledges each kind of write on every master only once its replica has it: readable there the moment the call returns', async () => {
    const ns = uniqueNamespace();
    for (const { tag, read } of shards) {
      const key = (name: string) => makeKey(ns, hashTag(tag), name);
      for (let i = 0; i < 10; i++) {
        await store.set(key(`k${i}`), `v${i}`);
        expect(await read(key(`k${i}`))).toBe(`v${i}`);
      }
      await store.incrBy(key('n'), 5);
      expect(await read(key('n'))).toBe('5');
      expect(await store.run(addScript, [key('n')], [2])).toBe(7);
      expect(await read(key('n'))).toBe('7');
      await store.setMany([[key('a'), '1'], [key('b'), '2']], 60);
      expect([await read(key('a')), await read(key('b'))]).toEqual(['1', '2']);
      expect(await store.delete([key('a'), key('b')])).toBe(2);
      expect(await read(key('a'))).toBeNull();
      expect(await store.getDel(key('k0'))).toBe('v0');
      expect(await read(key('k0'))).toBeNull();
    }
  });

  it('confirms a write over every master slot by slot, and 60 concurrent writes each', async () => {
    const ns = uniqueNamespace();
    const spread = shards.map(({ tag }) => makeKey(ns, hashTag(tag), 'spread'));
    await store.setMany(spread.map((key) => [key, 'x'] as const));
    for (const [i, { read }] of shards.entries()) expect(await read(spread[i]!)).toBe('x');
    const keys = Array.from({ length: 60 }, (_, i) => ({ key: makeKey(ns, hashTag(shards[i % 3]!.tag), `c${i}`), shard: shards[i % 3]! }));
    await Promise.all(keys.map(({ key }, i) => store.set(key, String(i))));
    const seen = await Promise.all(keys.map(({ key, shard }) => shard.read(key)));
    expect(seen).toEqual(keys.map((_, i) => String(i)));
  });

  /**
   * Starts `write` while the replica of `shard` is stopped and resumes it after a while: an acknowledgement that
   * came before the resume did not wait for the replica. A patient store (WAIT 1.5 s) so the stop does not time out.
   */
  const heldUntilReplicated = async (shard: (typeof shards)[number], write: (patient: RedisClusterStore) => Promise<unknown>) => {
    const patient = openRedisClusterStore(cluster.url, { commandTimeoutMs: 4000, durability: { replicas: 1, timeoutMs: 1500 } });
    try {
      expect(await patient.connect(10_000)).toBe(true);
      shard.replica.pause();
      let answered = false;
      const pending = write(patient).finally(() => {
        answered = true;
      });
      try {
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(answered).toBe(false);
      } finally {
        shard.replica.resume();
      }
      return await pending;
    } finally {
      await patient.close();
    }
  };

  it('holds the answer while the replica is stopped and gives it once the replica has the write', async () => {
    const ns = uniqueNamespace();
    const key = makeKey(ns, hashTag(shards[1]!.tag), 'held');
    await heldUntilReplicated(shards[1]!, (patient) => patient.set(key, 'v'));
    expect(await shards[1]!.read(key)).toBe('v');
  });

  // Regression: the WAIT went out behind the EVALSHA that a master without the script refuses (NOSCRIPT, as a
  // promoted replica does: scripts are not replicated), and the EVAL sent after it was acknowledged unconfirmed.
  it('runs a script the promoted-replica way (NOSCRIPT, then EVAL) and waits for the EVAL, not the refused EVALSHA', async () => {
    const ns = uniqueNamespace();
    const key = makeKey(ns, hashTag(shards[2]!.tag), 'counter');
    await store.sendToEveryMaster(['SCRIPT', 'FLUSH']);
    expect(await heldUntilReplicated(shards[2]!, (patient) => patient.run(addScript, [key], [3]))).toBe(3);
    expect(await shards[2]!.read(key)).toBe('3');
  });

  it('answers OutcomeUnknownError, not success, when the replica does not confirm in time; the master applied it, the other masters confirm', async () => {
    const ns = uniqueNamespace();
    const [stalled, ...others] = shards;
    const key = makeKey(ns, hashTag(stalled!.tag), 'stalled');
    stalled!.replica.pause();
    try {
      const started = performance.now();
      const failure = await store.set(key, 'x').then(() => undefined, (err: unknown) => err);
      expect(failure).toBeInstanceOf(OutcomeUnknownError);
      expect((failure as Error).message).toMatch(/only 0 of 1 replicas confirmed it within 300 ms/);
      // Inside the one deadline (2 s): WAIT's own timeout answered.
      expect(performance.now() - started).toBeLessThan(2000);
      expect((await cluster.cli(stalled!.master, 'GET', key)).trim()).toBe('x');
      // A write over several masters is unknown as a whole when one of them is.
      const spread = shards.map(({ tag }) => [makeKey(ns, hashTag(tag), 'spread'), 'y'] as const);
      await expect(store.setMany(spread)).rejects.toBeInstanceOf(OutcomeUnknownError);
      // Only the one master waits: the others' slots are confirmed as usual.
      for (const { tag, read } of others) {
        const other = makeKey(ns, hashTag(tag), 'fine');
        await store.set(other, 'ok');
        expect(await read(other)).toBe('ok');
      }
    } finally {
      stalled!.replica.resume();
    }
    // Once the replica is back, writes are confirmed again (reads never waited).
    await expect.poll(() => store.set(makeKey(ns, hashTag(stalled!.tag), 'after'), 'y').then(() => true, () => false), { timeout: 10_000 }).toBe(true);
  });
});
