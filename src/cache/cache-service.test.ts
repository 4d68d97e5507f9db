import { describe, expect, it } from 'vitest';
import { captureLog } from '../../test/support/log-capture.js';
import { cachedBackends, sendToEveryServer, uniqueNamespace, useStore } from '../../test/support/stores.js';
import { ValidationError } from '../errors.js';
import { makeKey, makePattern } from '../keys.js';
import { Metrics } from '../observability/metrics.js';
import { CacheService } from './cache-service.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const INVALID_TTLS: Array<[string, number]> = [
  ['zero', 0],
  ['a negative number', -1],
  ['a fraction', 1.5],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
];

function circular(): unknown {
  const value: Record<string, unknown> = { name: 'loop' };
  value.self = value;
  return value;
}

/** Values JSON cannot carry faithfully: each would throw, vanish or turn into null on the way through. */
const NOT_JSON: Array<[string, () => unknown]> = [
  ['a BigInt', () => 10n],
  ['a nested BigInt', () => ({ count: 10n })],
  ['a circular object', circular],
  ['a function', () => () => 1],
  ['a method inside an object', () => ({ greet() {} })],
  ['undefined', () => undefined],
  ['undefined inside an array', () => [1, undefined]],
  ['NaN', () => Number.NaN],
  ['a nested NaN', () => ({ score: Number.NaN })],
  ['Infinity', () => Number.POSITIVE_INFINITY],
  ['a symbol', () => Symbol('s')],
];

describe.each(cachedBackends)('CacheService on %s', (backend) => {
  const ctx = useStore(backend);
  /** A service over the shared store, with its own log and metrics so a test can read what it did. */
  const open = () => {
    const log = captureLog('debug');
    const metrics = new Metrics();
    const cache = new CacheService(ctx.store, { logger: log.logger, metrics });
    return { cache, log, metrics, ns: uniqueNamespace() };
  };

  describe('set and get', () => {
    it('round-trips JSON values of every shape', async () => {
      const { cache, ns } = open();
      const values: unknown[] = [
        'text with ünïcödé ✓ and "quotes"',
        '',
        0,
        -12.75,
        true,
        false,
        [],
        [1, 'two', { three: [3] }],
        { name: 'John', tags: ['a', 'b'], nested: { deep: { deeper: null } } },
      ];
      for (const [i, value] of values.entries()) {
        const key = makeKey(ns, 'v', i);
        expect(await cache.set(key, value)).toBe(true);
        expect(await cache.get(key)).toEqual(value);
      }
    });

    it('returns null for a missing key', async () => {
      const { cache, ns } = open();
      expect(await cache.get(makeKey(ns, 'missing'))).toBeNull();
    });

    it('stores null, which reads back as null like a miss while exists says true', async () => {
      const { cache, ns } = open();
      const key = makeKey(ns, 'null');
      expect(await cache.set(key, null)).toBe(true);
      expect(await cache.get(key)).toBeNull();
      expect(await cache.exists(key)).toBe(true);
    });

    it('Dates come back as ISO-8601 strings, because JSON has no date type', async () => {
      const { cache, ns } = open();
      const key = makeKey(ns, 'date');
      const at = new Date('2024-05-06T07:08:09.010Z');
      expect(await cache.set(key, { created_at: at, list: [at] })).toBe(true);
      expect(await cache.get(key)).toEqual({ created_at: '2024-05-06T07:08:09.010Z', list: ['2024-05-06T07:08:09.010Z'] });
    });

    it('leaves out an object property that is undefined, as JSON does', async () => {
      const { cache, ns } = open();
      const key = makeKey(ns, 'sparse');
      expect(await cache.set(key, { kept: 1, dropped: undefined })).toBe(true);
      expect(await cache.get(key)).toEqual({ kept: 1 });
    });

    it('overwrites a value, and a set without TTL removes the earlier TTL', async () => {
      const { cache, ns } = open();
      const key = makeKey(ns, 'over');
      await cache.set(key, 'first', 100);
      await cache.set(key, 'second');
      expect(await cache.get(key)).toBe('second');
      expect(await cache.ttl(key)).toBe(-1);
    });

    it.each(NOT_JSON)('refuses %s: set returns false, stores nothing and keeps the old value', async (_label, make) => {
      const { cache, ns, log, metrics } = open();
      const fresh = makeKey(ns, 'fresh');
      const existing = makeKey(ns, 'existing');
      await cache.set(existing, { safe: true });
      expect(await cache.set(fresh, make())).toBe(false);
      expect(await cache.set(existing, make(), 60)).toBe(false);
      expect(await cache.exists(fresh)).toBe(false);
      expect(await cache.get(existing)).toEqual({ safe: true });
      expect(await cache.ttl(existing)).toBe(-1);
      const errors = log.entries().filter((line) => line.level === 50);
      expect(errors.map((line) => [line.msg, line.key])).toEqual([
        ['Cache value is not JSON; nothing stored', fresh],
        ['Cache value is not JSON; nothing stored', existing],
      ]);
      // A refused value is the caller's mistake, not an outage: it is not counted as a store error.
      expect(metrics.value('remembr_cache_errors_total', { operation: 'set' })).toBe(0);
      expect(metrics.value('remembr_cache_operations_total', { operation: 'set', outcome: 'invalid' })).toBe(2);
    });

    it('reads a value that is not JSON (written by someone else) as null, logged and counted as a decode problem, not an outage', async () => {
      const { cache, ns, log, metrics } = open();
      const key = makeKey(ns, 'foreign');
      await ctx.store.set(key, 'not {json');
      expect(await cache.get(key)).toBeNull();
      expect(log.entries().find((line) => line.msg === 'Cache value is not JSON; skipped')).toMatchObject({ key, operation: 'get', level: 40 });
      expect(log.entries().some((line) => line.msg === 'Cache operation failed')).toBe(false);
      expect(metrics.value('remembr_cache_operations_total', { operation: 'get', outcome: 'decode_error' })).toBe(1);
      expect(metrics.value('remembr_cache_decode_errors_total', { operation: 'get' })).toBe(1);
      expect(metrics.value('remembr_cache_errors_total', { operation: 'get' })).toBe(0);
    });

    // Regression: one foreign value made getMany answer {} for every key and count an outage.
    it('getMany skips one value that is not JSON and returns the rest', async () => {
      const { cache, ns, log, metrics } = open();
      const [a, foreign, b, missing] = ['a', 'foreign', 'b', 'missing'].map((part) => makeKey(ns, part)) as [string, string, string, string];
      await cache.set(a, { n: 1 });
      await ctx.store.set(foreign, '<xml>not json</xml>');
      await cache.set(b, [2]);
      expect(await cache.getMany([a, foreign, b, missing])).toEqual({ [a]: { n: 1 }, [b]: [2] });
      expect(log.entries().filter((line) => line.msg === 'Cache value is not JSON; skipped').map((line) => line.key)).toEqual([foreign]);
      expect(metrics.value('remembr_cache_operations_total', { operation: 'getMany', outcome: 'hit' })).toBe(2);
      expect(metrics.value('remembr_cache_operations_total', { operation: 'getMany', outcome: 'miss' })).toBe(1);
      expect(metrics.value('remembr_cache_operations_total', { operation: 'getMany', outcome: 'decode_error' })).toBe(1);
      expect(metrics.value('remembr_cache_errors_total', { operation: 'getMany' })).toBe(0);
      // Read again (through the client cache, where there is one): the same answer.
      expect(await cache.getMany([a, foreign, b])).toEqual({ [a]: { n: 1 }, [b]: [2] });
    });

    it('logs hits, misses and sets at debug level with the key and TTL, and counts them', async () => {
      const { cache, ns, log, metrics } = open();
      const key = makeKey(ns, 'logged');
      await cache.get(key);
      await cache.set(key, 1, 30);
      await cache.get(key);
      const debug = log.entries().filter((line) => line.level === 20);
      expect(debug.map(({ msg, key: k, ttl }) => ({ msg, key: k, ttl }))).toEqual([
        { msg: 'Cache miss', key, ttl: undefined },
        { msg: 'Cache set', key, ttl: 30 },
        { msg: 'Cache hit', key, ttl: undefined },
      ]);
      expect(metrics.value('remembr_cache_operations_total', { operation: 'get', outcome: 'hit' })).toBe(1);
      expect(metrics.value('remembr_cache_operations_total', { operation: 'get', outcome: 'miss' })).toBe(1);
    });
  });

  describe('TTLs', () => {
    it('sets a TTL with the value and reports the seconds left', async () => {
      const { cache, ns } = open();
      const key = makeKey(ns, 'ttl');
      expect(await cache.set(key, 'v', 100)).toBe(true);
      const left = await cache.ttl(key);
      expect(left).toBeGreaterThanOrEqual(99);
      expect(left).toBeLessThanOrEqual(100);
    });

    it('reports -1 for a key without expiry and -2 for a missing key', async () => {
      const { cache, ns } = open();
      const key = makeKey(ns, 'forever');
      await cache.set(key, 'v');
      expect(await cache.ttl(key)).toBe(-1);
      expect(await cache.ttl(makeKey(ns, 'missing'))).toBe(-2);
    });

    it('expire sets a TTL on an existing key and returns false for a missing one', async () => {
      const { cache, ns } = open();
      const key = makeKey(ns, 'later');
      await cache.set(key, 'v');
      expect(await cache.expire(key, 500)).toBe(true);
      expect(await cache.ttl(key)).toBeGreaterThan(498);
      expect(await cache.expire(makeKey(ns, 'missing'), 500)).toBe(false);
      expect(await cache.exists(makeKey(ns, 'missing'))).toBe(false);
    });

    it('expires values set with a TTL, by setMany, and by expire', async () => {
      const { cache, ns } = open();
      const [single, manyA, manyB, later, forever] = ['single', 'a', 'b', 'later', 'forever'].map((p) => makeKey(ns, p)) as [
        string, string, string, string, string,
      ];
      await cache.set(single, 1, 1);
      await cache.setMany({ [manyA]: 2, [manyB]: 3 }, 1);
      await cache.set(later, 4);
      await cache.expire(later, 1);
      await cache.set(forever, 5);
      expect(await cache.getMany([single, manyA, manyB, later, forever])).toEqual({
        [single]: 1, [manyA]: 2, [manyB]: 3, [later]: 4, [forever]: 5,
      });
      await sleep(1200);
      expect(await cache.getMany([single, manyA, manyB, later, forever])).toEqual({ [forever]: 5 });
      for (const key of [single, manyA, manyB, later]) {
        expect(await cache.exists(key)).toBe(false);
        expect(await cache.ttl(key)).toBe(-2);
      }
    });

    it.each(INVALID_TTLS)('rejects a TTL that is %s with ValidationError and stores nothing', async (_label, ttl) => {
      const { cache, ns } = open();
      const key = makeKey(ns, 'bad-ttl');
      const loader = async () => 'loaded';
      await expect(cache.set(key, 'v', ttl)).rejects.toThrow(ValidationError);
      await expect(cache.setMany({ [key]: 'v' }, ttl)).rejects.toThrow(ValidationError);
      await expect(cache.getOrSet(key, loader, ttl)).rejects.toThrow(ValidationError);
      expect(await cache.exists(key)).toBe(false);
      await cache.set(key, 'v');
      await expect(cache.expire(key, ttl)).rejects.toThrow(ValidationError);
      // Regression guard: the Python original stored "forever" for a TTL of 0; here nothing changes.
      expect(await cache.ttl(key)).toBe(-1);
    });

    it('names the TTL field in the validation error', async () => {
      const { cache, ns } = open();
      const error = await cache.set(makeKey(ns, 'x'), 'v', 0).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('ttlSeconds');
      expect((error as Error).message).toMatch(/positive whole number of seconds/);
    });
  });

  describe('delete and exists', () => {
    it('deletes a key once: true the first time, false after', async () => {
      const { cache, ns } = open();
      const key = makeKey(ns, 'gone');
      await cache.set(key, 'v');
      expect(await cache.exists(key)).toBe(true);
      expect(await cache.delete(key)).toBe(true);
      expect(await cache.exists(key)).toBe(false);
      expect(await cache.get(key)).toBeNull();
      expect(await cache.delete(key)).toBe(false);
    });
  });

  describe('increment', () => {
    it('counts from 0 on a missing key, by 1 or by any whole amount', async () => {
      const { cache, ns } = open();
      const key = makeKey(ns, 'count');
      expect(await cache.increment(key)).toBe(1);
      expect(await cache.increment(key)).toBe(2);
      expect(await cache.increment(key, 10)).toBe(12);
      expect(await cache.increment(key, -15)).toBe(-3);
      expect(await cache.increment(key, 0)).toBe(-3);
      expect(await cache.get(key)).toBe(-3);
      // A counter has no TTL unless one is set.
      expect(await cache.ttl(key)).toBe(-1);
    });

    it('adds to a whole number stored with set, keeping its TTL', async () => {
      const { cache, ns } = open();
      const key = makeKey(ns, 'stored');
      await cache.set(key, 41, 100);
      expect(await cache.increment(key)).toBe(42);
      expect(await cache.ttl(key)).toBeGreaterThan(98);
    });

    it('returns null for a value that is not a whole number, and leaves it alone', async () => {
      const { cache, ns } = open();
      const key = makeKey(ns, 'text');
      await cache.set(key, { not: 'a number' });
      expect(await cache.increment(key)).toBeNull();
      expect(await cache.get(key)).toEqual({ not: 'a number' });
    });

    it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects an amount of %s with ValidationError', async (amount) => {
      const { cache, ns } = open();
      const key = makeKey(ns, 'amount');
      await expect(cache.increment(key, amount)).rejects.toThrow(ValidationError);
      expect(await cache.exists(key)).toBe(false);
    });

    it('ends at exactly 50 after 50 concurrent increments of one key', async () => {
      const { cache, ns } = open();
      const key = makeKey(ns, 'race');
      const results = await Promise.all(Array.from({ length: 50 }, () => cache.increment(key)));
      expect(await cache.get(key)).toBe(50);
      // Each caller saw a distinct step: no two increments read the same old value.
      expect([...results].sort((a, b) => a! - b!)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });
  });

  describe('setMany and getMany', () => {
    it('sets several values and gets back only the keys that exist', async () => {
      const { cache, ns } = open();
      const [alice, bob, charlie, missing] = ['123', '456', '789', '000'].map((id) => makeKey(ns, 'user', id, 'name')) as [
        string, string, string, string,
      ];
      expect(await cache.setMany({ [alice]: 'Alice', [bob]: 'Bob', [charlie]: { full: 'Charlie' } }, 3600)).toBe(true);
      expect(await cache.getMany([alice, missing, charlie])).toEqual({ [alice]: 'Alice', [charlie]: { full: 'Charlie' } });
      expect(await cache.getMany([missing])).toEqual({});
      expect(await cache.getMany([])).toEqual({});
    });

    it('with a TTL leaves no key without one', async () => {
      const { cache, ns } = open();
      const values = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [makeKey(ns, 'ttl', i), i]));
      expect(await cache.setMany(values, 120)).toBe(true);
      const ttls = await Promise.all(Object.keys(values).map((key) => cache.ttl(key)));
      expect(ttls.filter((ttl) => ttl < 119 || ttl > 120)).toEqual([]);
    });

    it('with a TTL replaces the TTL of keys that had none, and without one clears it', async () => {
      const { cache, ns } = open();
      const key = makeKey(ns, 'k');
      await cache.set(key, 'old');
      await cache.setMany({ [key]: 'new' }, 60);
      expect(await cache.ttl(key)).toBeGreaterThan(58);
      await cache.setMany({ [key]: 'newer' });
      expect(await cache.ttl(key)).toBe(-1);
      expect(await cache.get(key)).toBe('newer');
    });

    it('stores nothing when one value cannot be JSON', async () => {
      const { cache, ns } = open();
      const [good, bad] = [makeKey(ns, 'good'), makeKey(ns, 'bad')];
      expect(await cache.setMany({ [good]: 'fine', [bad]: 10n })).toBe(false);
      expect(await cache.getMany([good, bad])).toEqual({});
    });

    it('accepts an empty record', async () => {
      const { cache } = open();
      expect(await cache.setMany({}, 10)).toBe(true);
    });
  });

  describe('deletePattern', () => {
    it('removes 10,000+ matching keys in batches and leaves every key outside the pattern', async () => {
      const { cache, ns } = open();
      const other = uniqueNamespace();
      const matching = Array.from({ length: 10_500 }, (_, i) => makeKey(ns, 'big', i));
      const outside = [makeKey(ns, 'bigger', 1), makeKey(ns, 'big'), makeKey(ns, 'keep', 'big'), makeKey(other, 'big', 1)];
      expect(await cache.setMany(Object.fromEntries([...matching, ...outside].map((key) => [key, 1])))).toBe(true);
      const before = backend === 'memory' ? undefined : await commandCalls();

      expect(await cache.deletePattern(makePattern(ns, 'big'))).toBe(10_500);

      expect(await cache.getMany(outside)).toEqual(Object.fromEntries(outside.map((key) => [key, 1])));
      const sample = matching.filter((_, i) => i % 250 === 0);
      expect(await cache.getMany(sample)).toEqual({});
      expect(await cache.deletePattern(makePattern(ns, 'big'))).toBe(0);
      if (before) {
        const after = await commandCalls();
        // SCAN and UNLINK a batch at a time: many small UNLINKs, many SCAN steps, never KEYS, never DEL.
        expect(after.unlink - before.unlink).toBeGreaterThanOrEqual(10);
        expect(after.scan - before.scan).toBeGreaterThanOrEqual(10);
        expect(after.keys).toBe(0);
        expect(after.del - before.del).toBe(0);
      }
    });

    it("deletes the guide's patterns: one user's sessions, a whole namespace", async () => {
      const { cache, ns } = open();
      await cache.setMany({ [makeKey(ns, 'u1', 'a')]: 1, [makeKey(ns, 'u1', 'b')]: 2, [makeKey(ns, 'u2', 'a')]: 3 });
      expect(await cache.deletePattern(makePattern(ns, 'u1'))).toBe(2);
      expect(await cache.exists(makeKey(ns, 'u2', 'a'))).toBe(true);
      expect(await cache.deletePattern(makePattern(ns))).toBe(1);
    });

    it.each(['*', 'remembr:*', '*:session:*', 'other:*', 'remembr:se*:x', 'remembr', ''])(
      'refuses the pattern %j with ValidationError and deletes nothing',
      async (pattern) => {
        const { cache, ns } = open();
        const key = makeKey(ns, 'safe');
        await cache.set(key, 1);
        await expect(cache.deletePattern(pattern)).rejects.toThrow(ValidationError);
        expect(await cache.exists(key)).toBe(true);
      },
    );
  });

  describe('getOrSet', () => {
    it('calls the loader once for 20 concurrent misses and gives every caller its value', async () => {
      const { cache, ns } = open();
      const key = makeKey(ns, 'loaded');
      let calls = 0;
      const loader = async () => {
        calls++;
        await sleep(50);
        return { computed: calls };
      };
      const results = await Promise.all(Array.from({ length: 20 }, () => cache.getOrSet(key, loader, 60)));
      expect(calls).toBe(1);
      expect(results).toEqual(Array.from({ length: 20 }, () => ({ computed: 1 })));
      expect(await cache.get(key)).toEqual({ computed: 1 });
      expect(await cache.ttl(key)).toBeGreaterThan(58);
    });

    it('does not call the loader on a hit', async () => {
      const { cache, ns } = open();
      const key = makeKey(ns, 'hit');
      await cache.set(key, 'cached');
      let calls = 0;
      expect(await cache.getOrSet(key, async () => `fresh ${++calls}`, 60)).toBe('cached');
      expect(calls).toBe(0);
    });

    it("passes a loader's error to every waiter, caches nothing, and tries again next time", async () => {
      const { cache, ns } = open();
      const key = makeKey(ns, 'failing');
      let calls = 0;
      const failing = async () => {
        calls++;
        await sleep(20);
        throw new Error('database down');
      };
      const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => cache.getOrSet(key, failing, 60)));
      expect(outcomes.map((o) => o.status)).toEqual(Array(5).fill('rejected'));
      expect(calls).toBe(1);
      expect(await cache.exists(key)).toBe(false);
      expect(await cache.getOrSet(key, async () => 'recovered', 60)).toBe('recovered');
    });
  });

  /** Calls per command on this suite's redis-server (summed over the masters of a cluster), from INFO commandstats. */
  async function commandCalls(): Promise<{ unlink: number; scan: number; keys: number; del: number }> {
    const infos = (await sendToEveryServer(ctx.store, ['INFO', 'commandstats'])).map(String);
    const calls = (name: string) =>
      infos.reduce((sum, info) => sum + Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(info)?.[1] ?? 0), 0);
    return { unlink: calls('unlink'), scan: calls('scan'), keys: calls('keys'), del: calls('del') };
  }
});
