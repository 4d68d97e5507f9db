import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startRedisServer } from '../../test/support/redis-server.js';
import { allBackends, openRedisStore, sendToEveryServer, uniqueNamespace, useStore } from '../../test/support/stores.js';
import { ValidationError } from '../errors.js';
import { createLogger } from '../observability/logger.js';
import { Metrics } from '../observability/metrics.js';
import { MemoryStore } from '../store/memory-store.js';
import { createRateLimiter } from './create-rate-limiter.js';
import type { RateLimitAlgorithm, RateLimiterOptions, RateLimitDecision } from './rate-limiter.js';
import { StoreRateLimiter } from './rate-limiter.js';

const algorithms: RateLimitAlgorithm[] = ['fixed-window', 'gcra'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const allowedCount = (decisions: RateLimitDecision[]) => decisions.filter((d) => d.allowed).length;

describe.each(allBackends)('rate limiters on %s', (backend) => {
  const ctx = useStore(backend);
  /** Each test limits under a name of its own, so tests sharing the store never share a counter. */
  const limiter = (algorithm: RateLimitAlgorithm, options: Partial<RateLimiterOptions> = {}) =>
    createRateLimiter(ctx.store, { limit: 10, windowSeconds: 3600, algorithm, name: uniqueNamespace(), ...options }) as StoreRateLimiter;

  describe.each(algorithms)('%s', (algorithm) => {
    it('allows exactly the limit of 250 concurrent checks', async () => {
      // An hour-long window, so GCRA cannot refill while the checks are in flight.
      const limit = limiter(algorithm, { limit: 100 });
      const decisions = await Promise.all(Array.from({ length: 250 }, () => limit.check('alice')));
      expect(allowedCount(decisions)).toBe(100);
      for (const refused of decisions.filter((d) => !d.allowed)) {
        expect(refused).toMatchObject({ remaining: 0, reason: 'limit_exceeded', limit: 100 });
        expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
        expect(refused.retryAfterSeconds).toBeLessThanOrEqual(3600);
      }
      // Each allowed check saw its own remaining count: 99 down to 0, each once.
      const remaining = decisions.filter((d) => d.allowed).map((d) => d.remaining).sort((a, b) => a - b);
      expect(remaining).toEqual(Array.from({ length: 100 }, (_, i) => i));
      expect((await limit.check('alice')).allowed).toBe(false);
    });

    it('counts each identity on its own', async () => {
      const limit = limiter(algorithm, { limit: 3 });
      const alice = await Promise.all(Array.from({ length: 5 }, () => limit.check('user_alice')));
      const bob = await Promise.all(Array.from({ length: 5 }, () => limit.check('user_bob')));
      expect(allowedCount(alice)).toBe(3);
      expect(allowedCount(bob)).toBe(3);
    });

    it('reports limit, remaining and a reset within the window', async () => {
      const limit = limiter(algorithm, { limit: 5, windowSeconds: 60 });
      const first = await limit.check('carol');
      expect(first).toMatchObject({ allowed: true, limit: 5, remaining: 4, reason: 'allowed' });
      expect(first.retryAfterSeconds).toBeUndefined();
      expect(first.resetSeconds).toBeGreaterThan(0);
      expect(first.resetSeconds).toBeLessThanOrEqual(60);
      expect((await limit.check('carol', 4)).remaining).toBe(0);
      const refused = await limit.check('carol');
      expect(refused).toMatchObject({ allowed: false, remaining: 0, reason: 'limit_exceeded' });
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    });

    it('leaves the key with an expiry after every check, allowed or refused', async () => {
      const limit = limiter(algorithm, { limit: 2, windowSeconds: 120 });
      for (let i = 0; i < 4; i++) {
        await limit.check('dave');
        const ttl = await ctx.store.ttl(limit.key('dave'));
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(120);
      }
    });

    it('gives an expiry back to a key that lost it', async () => {
      const limit = limiter(algorithm, { limit: 2, windowSeconds: 120 });
      // A state that refuses the next check, written without an expiry (as a PERSIST or a restore could leave it).
      const stuck = algorithm === 'gcra' ? String((Date.now() + 100_000) * 1000) : '50';
      await ctx.store.set(limit.key('erin'), stuck);
      expect(await ctx.store.ttl(limit.key('erin'))).toBe(-1);
      expect((await limit.check('erin')).allowed).toBe(false);
      expect(await ctx.store.ttl(limit.key('erin'))).toBeGreaterThan(0);

      await ctx.store.set(limit.key('frank'), stuck);
      expect((await limit.peek('frank')).allowed).toBe(false);
      expect(await ctx.store.ttl(limit.key('frank'))).toBeGreaterThan(0);
    });

    it('spends nothing on a refused check, so a cheaper one can still pass', async () => {
      const limit = limiter(algorithm, { limit: 10 });
      expect(await limit.check('gina', 8)).toMatchObject({ allowed: true, remaining: 2 });
      expect(await limit.check('gina', 5)).toMatchObject({ allowed: false, remaining: 2 });
      expect(await limit.check('gina', 2)).toMatchObject({ allowed: true, remaining: 0 });
      expect(await limit.check('gina', 1)).toMatchObject({ allowed: false, remaining: 0 });
    });

    it('peeks without spending', async () => {
      const limit = limiter(algorithm, { limit: 3 });
      expect(await limit.peek('hank')).toMatchObject({ allowed: true, remaining: 3 });
      expect(await ctx.store.exists(limit.key('hank'))).toBe(false);
      await limit.check('hank');
      await limit.peek('hank');
      await limit.peek('hank');
      expect(await limit.peek('hank')).toMatchObject({ allowed: true, remaining: 2 });
      await limit.check('hank', 2);
      expect(await limit.peek('hank')).toMatchObject({ allowed: false, remaining: 0, reason: 'limit_exceeded' });
    });

    it('refuses an identity or cost that is not acceptable, before touching the store', async () => {
      const limit = limiter(algorithm, { limit: 5 });
      for (const identity of ['', 'a:b', '{x}', 'a*', 'a b', 'x'.repeat(201), 42 as unknown as string]) {
        await expect(limit.check(identity)).rejects.toMatchObject({ name: 'ValidationError', field: 'identity' });
      }
      for (const cost of [0, -1, 1.5, 6, Number.NaN]) {
        await expect(limit.check('ivy', cost)).rejects.toMatchObject({ name: 'ValidationError', field: 'cost' });
      }
      expect(await limit.peek('ivy')).toMatchObject({ remaining: 5 });
    });

    it('keeps working after SCRIPT FLUSH', async () => {
      const limit = limiter(algorithm, { limit: 3 });
      await limit.check('jack');
      await sendToEveryServer(ctx.store, ['SCRIPT', 'FLUSH']);
      expect(await limit.check('jack')).toMatchObject({ allowed: true, remaining: 1 });
      expect(await limit.peek('jack')).toMatchObject({ allowed: true, remaining: 1 });
    });
  });

  it('fixed window: opens a fresh window once the last one ends', async () => {
    const limit = limiter('fixed-window', { limit: 2, windowSeconds: 0.3 });
    const decisions = [await limit.check('kim'), await limit.check('kim'), await limit.check('kim')];
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, false]);
    await sleep(decisions[2]!.retryAfterMs! + 50);
    expect(await limit.check('kim')).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('gcra: lets one more through after one emission interval, not a whole window', async () => {
    // 5 per second: a burst of 5, then one every 200 ms.
    const limit = limiter('gcra', { limit: 5, windowSeconds: 1 });
    const burst = await Promise.all(Array.from({ length: 6 }, () => limit.check('lou')));
    expect(allowedCount(burst)).toBeGreaterThanOrEqual(5);
    const refused = await limit.check('lou');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(200);
    const started = Date.now();
    await sleep(refused.retryAfterMs! + 20);
    const after = [];
    for (let i = 0; i < 5; i++) after.push(await limit.check('lou'));
    const elapsed = Date.now() - started;
    expect(after[0]!.allowed).toBe(true);
    // Only what refilled while we waited passes: one per 200 ms elapsed, never the whole burst again in one interval.
    expect(allowedCount(after)).toBeLessThanOrEqual(Math.min(5, Math.ceil(elapsed / 200) + 1));
  });

  it('refuses options that make no sense', () => {
    expect(() => limiter('fixed-window', { limit: 0 })).toThrow(ValidationError);
    expect(() => limiter('fixed-window', { limit: 1.5 })).toThrow(ValidationError);
    expect(() => limiter('gcra', { windowSeconds: 0 })).toThrow(ValidationError);
    expect(() => limiter('gcra', { windowSeconds: Number.POSITIVE_INFINITY })).toThrow(ValidationError);
    expect(() => limiter('fixed-window', { name: 'a:b' })).toThrow(ValidationError);
    expect(() => limiter('fixed-window', { failMode: 'maybe' as never })).toThrow(ValidationError);
    // GCRA measures time in microseconds: more than one per microsecond cannot be spread.
    expect(() => limiter('gcra', { limit: 2000, windowSeconds: 0.001 })).toThrow(ValidationError);
  });
});

describe('rate limiters on a memory store with a controlled clock', () => {
  let now = 1_700_000_000_000;
  const store = new MemoryStore({ clock: () => now });

  it('gcra refills one unit per interval, exactly', async () => {
    const limit = createRateLimiter(store, { algorithm: 'gcra', limit: 10, windowSeconds: 1, name: 'clocked' });
    const burst = await Promise.all(Array.from({ length: 15 }, () => limit.check('x')));
    expect(allowedCount(burst)).toBe(10);
    const refused = await limit.check('x');
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 100, resetMs: 1000 });
    now += 99;
    expect((await limit.check('x')).allowed).toBe(false);
    now += 1;
    expect(await limit.check('x')).toMatchObject({ allowed: true, remaining: 0 });
    expect((await limit.check('x')).allowed).toBe(false);
    now += 350;
    const decisions = await Promise.all(Array.from({ length: 5 }, () => limit.check('x')));
    expect(allowedCount(decisions)).toBe(3);
    // A long rest refills the whole burst and no more.
    now += 60_000;
    expect(allowedCount(await Promise.all(Array.from({ length: 15 }, () => limit.check('x'))))).toBe(10);
  });

  it('fixed window resets when its window ends, not before', async () => {
    const limit = createRateLimiter(store, { limit: 3, windowSeconds: 60, name: 'clocked' });
    const first = await Promise.all(Array.from({ length: 5 }, () => limit.check('y')));
    expect(allowedCount(first)).toBe(3);
    expect(first[4]).toMatchObject({ retryAfterMs: 60_000, retryAfterSeconds: 60, resetSeconds: 60 });
    now += 59_999;
    expect(await limit.check('y')).toMatchObject({ allowed: false, retryAfterMs: 1, retryAfterSeconds: 1 });
    now += 1;
    expect(await limit.check('y')).toMatchObject({ allowed: true, remaining: 2, resetMs: 60_000 });
  });
});

describe.each(['open', 'closed'] as const)('failing %s when Redis is gone', (failMode) => {
  it('answers by its policy with a visible reason, counts and logs it, and recovers', async () => {
    const server = await startRedisServer();
    const store = openRedisStore(server.url, { commandTimeoutMs: 300 });
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }) });
    const metrics = new Metrics();
    try {
      await store.connect(5000);
      const limit = createRateLimiter(store, { limit: 5, failMode, logger, metrics, name: 'outage' });
      expect((await limit.check('zed')).reason).toBe('allowed');

      await server.kill();
      const decisions = await Promise.all(Array.from({ length: 10 }, () => limit.check('zed')));
      const peeked = await limit.peek('zed');
      for (const decision of [...decisions, peeked]) {
        expect(decision).toMatchObject({ reason: 'store_unavailable', allowed: failMode === 'open', limit: 5 });
        if (failMode === 'closed') expect(decision.retryAfterSeconds).toBe(1);
      }
      const outcome = failMode === 'open' ? 'failed_open' : 'failed_closed';
      expect(metrics.value('remembr_rate_limit_decisions_total', { limiter: 'outage', algorithm: 'fixed-window', outcome })).toBe(11);
      const warnings = lines.filter((line) => line.includes('Rate limiter cannot reach the store'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`failing ${failMode}`);

      await server.start();
      let after: RateLimitDecision | undefined;
      for (let i = 0; i < 100 && after?.reason !== 'allowed'; i++) {
        after = await limit.check('zed');
        if (after.reason !== 'allowed') await sleep(100);
      }
      expect(after).toMatchObject({ reason: 'allowed', allowed: true });
      expect(lines.some((line) => line.includes('Rate limiter reaches the store again'))).toBe(true);
      // The series is exposed for scraping (the recovery loop may have added a few more failures).
      expect(await metrics.exposition()).toMatch(new RegExp(`remembr_rate_limit_decisions_total\\{algorithm="fixed-window",limiter="outage",outcome="${outcome}"\\} \\d+`));
    } finally {
      await store.close();
      await server.stop();
    }
  });
});
