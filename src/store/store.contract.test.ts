import { describe, expect, it } from 'vitest';
import { backends, uniqueNamespace, useStore } from '../../test/support/stores.js';
import { makeKey } from '../keys.js';
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

describe.each(backends)('Store contract on %s', (backend) => {
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
    if (backend === 'redis') {
      const { RedisStore } = await import('./redis-store.js');
      await (ctx.store as InstanceType<typeof RedisStore>).client.sendCommand(['SCRIPT', 'FLUSH']);
    }
    expect(await ctx.store.run(swapScript, [k], ['three'])).toBe('two');
  });

  it('answers ping', async () => {
    await expect(ctx.store.ping()).resolves.toBeUndefined();
  });
});
