import { describe, expect, it } from 'vitest';
import { allBackends, sendToEveryServer, uniqueNamespace, useStore } from '../../test/support/stores.js';
import { RateLimitRefusedError } from '../errors.js';
import { makeKey, hashTag } from '../keys.js';
import { onceScript, runOnce } from '../idempotency/once.js';
import { defineScript } from '../store/script.js';
import type { Store } from '../store/port.js';
import { withCharge, type RateLimitCharge } from './charge.js';
import { ChargedStore } from './charged-store.js';
import { createRateLimiter } from './create-rate-limiter.js';
import type { RateLimitAlgorithm } from './rate-limiter.js';

/** Adds 1 to KEYS[1] and answers what it saw of its KEYS and ARGV (see the Lua file). */
const echoScript = defineScript('test-echo-args', new URL('../../test/support/echo-args.lua', import.meta.url), (db, keys, args) => {
  db.incrBy(keys[0]!, 1);
  return [keys.length, args.length, keys[0]!, keys[keys.length - 1]!, args[0] ?? '', args[args.length - 1] ?? ''];
});

/** The number of times `key` was written by echoScript (0 when never). */
const writes = async (store: Store, key: string) => Number((await store.get(key)) ?? '0');

describe.each(allBackends)('rate-limit charges on %s', (backend) => {
  const ctx = useStore(backend);
  /** A limiter over the store as the services see it (charges ride on their scripts), and a user of its own. */
  const setup = (algorithm: RateLimitAlgorithm, limit: number) => {
    const store = new ChargedStore(ctx.store);
    const limiter = createRateLimiter(store, { limit, windowSeconds: 3600, algorithm, name: uniqueNamespace() });
    const user = uniqueNamespace();
    const key = (...parts: string[]) => makeKey('chargetest', hashTag(user), ...parts);
    const charge = () => limiter.charge(`user_${user}`, { hashTag: user });
    return { store, limiter, user, key, charge };
  };
  const within = <T>(charge: RateLimitCharge, fn: () => Promise<T>) => withCharge(charge, fn);

  describe.each(['fixed-window', 'gcra'] as const)('%s', (algorithm) => {
    it('runs the operation with its own KEYS and ARGV, counted once, in one script', async () => {
      const { store, limiter, key, charge, user } = setup(algorithm, 5);
      const pending = charge();
      const reply = await within(pending, () => store.run(echoScript, [key('a'), key('b'), key('c')], ['x', 'y']));
      expect(reply).toEqual([3, 2, key('a'), key('c'), 'x', 'y']);
      expect(pending.decision).toMatchObject({ allowed: true, remaining: 4, reason: 'allowed' });
      // Settling after the script carried it sends nothing more and counts nothing more.
      expect(await pending.settle()).toBe(pending.decision);
      expect(await limiter.peek(`user_${user}`, { hashTag: user })).toMatchObject({ remaining: 4 });
      expect((await limiter.check(`user_${user}`, 1, { hashTag: user })).remaining).toBe(3);
      expect(await writes(ctx.store, key('a'))).toBe(1);
    });

    it('lets exactly the limit of 30 concurrent charged writes through, and the refused ones write nothing', async () => {
      const { store, key, charge } = setup(algorithm, 12);
      const outcomes = await Promise.all(
        Array.from({ length: 30 }, () =>
          within(charge(), () => store.run(echoScript, [key('counter')], [])).then(
            () => 'applied',
            (err: unknown) => (err instanceof RateLimitRefusedError ? 'refused' : err),
          ),
        ),
      );
      expect(outcomes.filter((o) => o === 'applied')).toHaveLength(12);
      expect(outcomes.filter((o) => o === 'refused')).toHaveLength(18);
      expect(await writes(ctx.store, key('counter'))).toBe(12);
    });

    it('refuses with the decision, and the refused write changes nothing', async () => {
      const { store, key, charge } = setup(algorithm, 1);
      await within(charge(), () => store.run(echoScript, [key('n')], []));
      const refused = charge();
      const failure = await within(refused, () => store.run(echoScript, [key('n')], [])).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(RateLimitRefusedError);
      expect((failure as RateLimitRefusedError).decision).toMatchObject({ allowed: false, reason: 'limit_exceeded', remaining: 0 });
      expect((failure as RateLimitRefusedError).decision.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(refused.decision).toBe((failure as RateLimitRefusedError).decision);
      expect(await writes(ctx.store, key('n'))).toBe(1);
    });
  });

  it('counts a charge that reaches no script once, when settled, however often', async () => {
    const { limiter, charge, user } = setup('fixed-window', 5);
    const pending = charge();
    expect(pending.pending).toBe(true);
    const [first, second] = await Promise.all([pending.settle(), pending.settle()]);
    expect(first).toMatchObject({ allowed: true, remaining: 4 });
    expect(second).toBe(first);
    expect(await pending.settle()).toBe(first);
    expect(pending.observed).toBe(false);
    expect(await limiter.peek(`user_${user}`, { hashTag: user })).toMatchObject({ remaining: 4 });
  });

  it('holds a plain command, a script in another slot and a second call until the decision, and applies none when refused', async () => {
    const { store, key, charge, limiter, user } = setup('fixed-window', 2);
    const elsewhere = makeKey('chargetest', hashTag(`${user}-elsewhere`), 'n');
    // Allowed: each call runs once, and the request is counted once.
    const allowed = charge();
    await within(allowed, () =>
      Promise.all([store.run(echoScript, [key('n')], []), store.run(echoScript, [elsewhere], []), store.set(key('plain'), 'v', 60)]),
    );
    expect(await limiter.peek(`user_${user}`, { hashTag: user })).toMatchObject({ remaining: 1 });
    await within(charge(), () => store.get(key('plain')));
    // Refused (the limit is spent): the first call carried the refusal, the others waited for it and were refused too.
    const refused = charge();
    const failures = await within(refused, () =>
      Promise.allSettled([store.run(echoScript, [key('n')], []), store.run(echoScript, [elsewhere], []), store.set(key('plain'), 'changed', 60)]),
    );
    expect(failures.map((f) => f.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const failure of failures) expect((failure as PromiseRejectedResult).reason).toBeInstanceOf(RateLimitRefusedError);
    expect(await writes(ctx.store, key('n'))).toBe(1);
    expect(await writes(ctx.store, elsewhere)).toBe(1);
    expect(await ctx.store.get(key('plain'))).toBe('v');
    // A script whose keys are all elsewhere waits for a check of its own first, then runs (or not) on its own.
    const apart = charge();
    await expect(within(apart, () => store.run(echoScript, [elsewhere], []))).rejects.toBeInstanceOf(RateLimitRefusedError);
    expect(apart.observed).toBe(true);
    expect(await writes(ctx.store, elsewhere)).toBe(1);
  });

  it('counts an idempotent replay: the check-and-record script carries the charge too', async () => {
    const { store, key, charge, limiter, user } = setup('gcra', 5);
    const once = { userId: user, idempotencyKey: 'replay-me', operation: 'test.echo', request: { n: 1 }, ttlSeconds: 60 };
    const first = await within(charge(), () => runOnce(store, echoScript, [key('n')], ['a'], once));
    const replay = await within(charge(), () => runOnce(store, echoScript, [key('n')], ['a'], once));
    expect(first.replayed).toBe(false);
    expect(replay).toMatchObject({ replayed: true, reply: first.reply });
    expect(await writes(ctx.store, key('n'))).toBe(1);
    expect(await limiter.peek(`user_${user}`, { hashTag: user })).toMatchObject({ remaining: 3 });
    // The composed script of a once-wrapped script is made once, with its own name and SHA.
    expect(onceScript(echoScript).name).toBe('test-echo-args+once');
  });

  // Only Redis caches scripts by SHA (the memory store runs each script's twin directly).
  if (backend !== 'memory') {
    it('keeps carrying after SCRIPT FLUSH (EVALSHA falls back to EVAL)', async () => {
      const { store, key, charge } = setup('fixed-window', 10);
      await within(charge(), () => store.run(echoScript, [key('n')], []));
      await sendToEveryServer(ctx.store, ['SCRIPT', 'FLUSH']);
      const pending = charge();
      await within(pending, () => store.run(echoScript, [key('n')], []));
      expect(pending.decision).toMatchObject({ allowed: true, remaining: 8 });
      expect(await writes(ctx.store, key('n'))).toBe(2);
    });
  }
});
