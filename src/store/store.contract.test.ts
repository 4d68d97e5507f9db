import { describe, expect, it } from 'vitest';
import { cachedBackends, sendToEveryServer, uniqueNamespace, useStore } from '../../test/support/stores.js';
import { hashTag, makeKey } from '../keys.js';
import type { MemoryDb } from './memory-db.js';
import type { Script } from './port.js';

/** A tiny script written twice, to prove `run` behaves the same on both stores (and survives SCRIPT FLUSH). */
const swapScript: Script = {
  name: 'swap',
  // KEYS[1] the key; ARGV[1] the new value. Returns the old value (nil when missing).
  lua: "local old = redis.call('GET', KEYS[1]) redis.call('SET', KEYS[1], ARGV[1]) return old",
  sha: '',
  local: (db: MemoryDb, keys, args) => {
    const old = db.getString(keys[0]!);
    db.setString(keys[0]!, args[0]!);
    return old;
  },
};
Object.assign(swapScript, { sha: (await import('node:crypto')).createHash('sha1').update(swapScript.lua).digest('hex') });

/** Copies KEYS[1] to KEYS[2]: a script over two keys, which on a cluster must share a slot. */
const copyScript: Script = {
  name: 'copy',
  // KEYS[1] the source, KEYS[2] the target. Returns the value copied.
  lua: "local value = redis.call('GET', KEYS[1]) redis.call('SET', KEYS[2], value) return value",
  sha: '',
  local: (db: MemoryDb, keys) => {
    const value = db.getString(keys[0]!);
    db.setString(keys[1]!, value!);
    return value;
  },
};
Object.assign(copyScript, { sha: (await import('node:crypto')).createHash('sha1').update(copyScript.lua).digest('hex') });

describe.each(cachedBackends)('Store contract on %s', (backend) => {
  const ctx = useStore(backend);
  const key = (...parts: string[]) => makeKey(uniqueNamespace(), ...parts);

  it('sets, gets and deletes strings', async () => {
    const k = key('a');
    expect(await ctx.store.get(k)).toBeNull();
    await ctx.store.set(k, 'héllo ✓');
    expect(await ctx.store.get(k)).toBe('héllo ✓');
    expect(await ctx.store.exists(k)).toBe(true);
    expect(await ctx.store.delete([k, key('missing')])).toBe(1);
    expect(await ctx.store.exists(k)).toBe(false);
  });

  it('reports ttl -2 for a missing key, -1 without expiry, and the seconds left', async () => {
    const k = key('ttl');
    expect(await ctx.store.ttl(k)).toBe(-2);
    await ctx.store.set(k, 'x');
    expect(await ctx.store.ttl(k)).toBe(-1);
    expect(await ctx.store.expire(k, 100)).toBe(true);
    const left = await ctx.store.ttl(k);
    expect(left).toBeGreaterThan(98);
    expect(left).toBeLessThanOrEqual(100);
    expect(await ctx.store.expire(key('nothing'), 10)).toBe(false);
  });

  it('expires keys after their TTL', async () => {
    const k = key('short');
    await ctx.store.set(k, 'x', 1);
    expect(await ctx.store.get(k)).toBe('x');
    await new Promise((resolve) => setTimeout(resolve, 1150));
    expect(await ctx.store.get(k)).toBeNull();
    expect(await ctx.store.ttl(k)).toBe(-2);
  });

  it('increments from zero and by any whole amount', async () => {
    const k = key('n');
    expect(await ctx.store.incrBy(k, 1)).toBe(1);
    expect(await ctx.store.incrBy(k, 5)).toBe(6);
    expect(await ctx.store.incrBy(k, -10)).toBe(-4);
  });

  it('gets and deletes in one step', async () => {
    const k = key('gd');
    await ctx.store.set(k, 'once');
    expect(await ctx.store.getDel(k)).toBe('once');
    expect(await ctx.store.getDel(k)).toBeNull();
  });

  it('sets many with one TTL and gets many with gaps', async () => {
    const [a, b, c] = [key('a'), key('b'), key('c')];
    await ctx.store.setMany([[a, '1'], [b, '2']], 50);
    expect(await ctx.store.getMany([a, c, b])).toEqual(['1', null, '2']);
    expect(await ctx.store.ttl(a)).toBeGreaterThan(48);
    expect(await ctx.store.ttl(b)).toBeGreaterThan(48);
    await ctx.store.setMany([[c, '3']]);
    expect(await ctx.store.ttl(c)).toBe(-1);
  });

  it('scans by pattern in batches without missing keys', async () => {
    const ns = uniqueNamespace();
    const keys = Array.from({ length: 1234 }, (_, i) => makeKey(ns, 'k', i));
    await ctx.store.setMany(keys.map((k) => [k, 'v'] as const));
    await ctx.store.set(makeKey(ns, 'other'), 'v');
    const seen = new Set<string>();
    for await (const batch of ctx.store.scan(`remembr:${ns}:k:*`, 200)) batch.forEach((k) => seen.add(k));
    expect(seen.size).toBe(1234);
  });

  it('runs a script atomically, and again after the script cache is flushed', async () => {
    const k = key('swap');
    expect(await ctx.store.run(swapScript, [k], ['one'])).toBeNull();
    expect(await ctx.store.run(swapScript, [k], ['two'])).toBe('one');
    await sendToEveryServer(ctx.store, ['SCRIPT', 'FLUSH']);
    expect(await ctx.store.run(swapScript, [k], ['three'])).toBe('two');
  });

  it('sets, gets and deletes many keys spread over many hash slots, each value in its place', async () => {
    const ns = uniqueNamespace();
    const keys = Array.from({ length: 300 }, (_, i) => makeKey(ns, 'spread', i));
    await ctx.store.setMany(keys.map((k, i) => [k, `v${i}`] as const), 60);
    const missing = makeKey(ns, 'spread', 'missing');
    const asked = [missing, ...keys.slice().reverse()];
    expect(await ctx.store.getMany(asked)).toEqual([null, ...keys.map((_, i) => `v${i}`).reverse()]);
    expect(await ctx.store.ttl(keys[123]!)).toBeGreaterThan(58);
    expect(await ctx.store.delete([...keys.slice(0, 200), missing])).toBe(200);
    expect((await ctx.store.getMany(keys)).filter((v) => v !== null)).toHaveLength(100);
  });

  it('sets many keys that share a hash tag together, with and without a TTL', async () => {
    const tag = hashTag(uniqueNamespace());
    const keys = Array.from({ length: 20 }, (_, i) => makeKey('contract', tag, 'k', i));
    await ctx.store.setMany(keys.map((k) => [k, 'tagged'] as const), 60);
    expect(await ctx.store.getMany(keys)).toEqual(keys.map(() => 'tagged'));
    await ctx.store.setMany(keys.map((k) => [k, 'again'] as const));
    expect(await ctx.store.getMany(keys)).toEqual(keys.map(() => 'again'));
    expect(await ctx.store.ttl(keys[7]!)).toBe(-1);
  });

  it('runs a script over several keys that share a hash tag', async () => {
    const tag = hashTag(uniqueNamespace());
    const [a, b] = [makeKey('contract', tag, 'a'), makeKey('contract', tag, 'b')];
    await ctx.store.set(a, 'from a');
    expect(await ctx.store.run(copyScript, [a, b], [])).toBe('from a');
    expect(await ctx.store.get(b)).toBe('from a');
  });

  it('answers ping', async () => {
    await expect(ctx.store.ping()).resolves.toBeUndefined();
  });
});
