import { performance } from 'node:perf_hooks';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { createClient } from 'redis';
import { createRateLimiter, createRemembr, type RateLimiter } from '../../src/index.js';
import type { BenchCase, BenchContext } from '../context.js';
import { compare, formatRatio, throughput, type CaseResult, type Contender, type Metric } from '../harness.js';

const CONCURRENCY = 64;
const IDENTITIES = 200;
/**
 * Per identity per window, with a window long enough that no window (nor a GCRA emission interval, 60 s / 20 = 3 s)
 * ends inside a sample: the exact number of allowed checks is then known from how many checks each identity received.
 */
const LIMIT = 20;
const WINDOW_SECONDS = 60;
/** Checks per block: every identity gets twice its limit, round-robin, so exactly IDENTITIES × LIMIT pass. */
const CHECKS_PER_SAMPLE = IDENTITIES * LIMIT * 2;

const METRICS: Metric[] = [
  { key: 'checksPerSecond', label: 'checks/s', better: 'higher', format: 'count' },
  { key: 'allowed', label: 'allowed', better: 'higher', format: 'count' },
  { key: 'expected', label: 'expected', better: 'higher', format: 'count' },
];

/** A limiter under test: answers whether one check of `identity` passed. */
type Check = (identity: string) => Promise<boolean>;

/**
 * Case 4: rate-limit checks from 64 concurrent callers spread over 200 identities, Remembr's fixed window and GCRA
 * beside rate-limiter-flexible's RateLimiterRedis on the same redis-server. Every sample uses identities never seen
 * before, counts the checks each identity received, and compares the allowed decisions with the exact expected
 * number: the sum over identities of min(checks, limit). A mismatch stops the benchmark.
 */
export const rateLimitCase: BenchCase = {
  id: 'rate-limit',
  title: 'Rate limiting: 64 concurrent callers over 200 identities',
  async run(context: BenchContext): Promise<CaseResult[]> {
    const remembr = await createRemembr({ redisUrl: context.redisUrl });
    const store = remembr.store;
    const limiterOptions = { limit: LIMIT, windowSeconds: WINDOW_SECONDS, name: 'bench' };
    const fixedWindow = createRateLimiter(store, { ...limiterOptions, algorithm: 'fixed-window' });
    const gcra = createRateLimiter(store, { ...limiterOptions, algorithm: 'gcra' });
    // The peer runs on one connection, so Remembr also runs on a store of one connection: the gap is not the count.
    const single = await createRemembr({ redisUrl: context.redisUrl, redisConnections: 1 });
    const fixedWindowSingle = createRateLimiter(single.store, { ...limiterOptions, algorithm: 'fixed-window' });
    // rate-limiter-flexible as its README sets it up with node-redis: one client, useRedisPackage.
    const rlfClient = createClient({ url: context.redisUrl, disableOfflineQueue: true });
    await rlfClient.connect();
    const rlf = new RateLimiterRedis({ storeClient: rlfClient, useRedisPackage: true, points: LIMIT, duration: WINDOW_SECONDS, keyPrefix: 'rlf' });

    const ours = (limiter: RateLimiter): Check => async (identity) => (await limiter.check(identity)).allowed;
    const theirs = (limiter: RateLimiterRedis): Check => async (identity) => {
      try {
        await limiter.consume(identity);
        return true;
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) return false;
        throw refusal;
      }
    };

    let blockNo = 0;
    /** One block: CHECKS_PER_SAMPLE checks over identities no block has used, so every window starts empty. */
    const block = async (name: string, check: Check) => {
      const prefix = `b${++blockNo}-id`;
      const received = new Array<number>(IDENTITIES).fill(0);
      let allowed = 0;
      const started = performance.now();
      await throughput(async (_, n) => {
        const identity = n % IDENTITIES;
        received[identity]!++;
        if (await check(`${prefix}${identity}`)) allowed++;
      }, { concurrency: CONCURRENCY, count: CHECKS_PER_SAMPLE });
      const expected = received.reduce((sum, checks) => sum + Math.min(checks, LIMIT), 0);
      if (allowed !== expected) throw new Error(`${name} allowed ${allowed} checks where exactly ${expected} should pass`);
      return { ms: performance.now() - started, allowed, expected };
    };
    /** As many blocks as fit the sample time (at least one), each checked for its exact count. */
    const measure = async (name: string, check: Check) => {
      let ms = 0;
      let blocks = 0;
      let last = { allowed: 0, expected: 0 };
      do {
        const done = await block(name, check);
        ms += done.ms;
        blocks++;
        last = done;
      } while (ms < context.sampleMs);
      return { checksPerSecond: (blocks * CHECKS_PER_SAMPLE) / (ms / 1000), allowed: last.allowed, expected: last.expected };
    };

    const baseline = 'rate-limiter-flexible RateLimiterRedis, one node-redis client (baseline)';
    const checks: Array<[string, Check]> = [
      [baseline, theirs(rlf)],
      ['Remembr fixed window', ours(fixedWindow)],
      ['Remembr GCRA', ours(gcra)],
      ['Remembr fixed window, store of 1 connection', ours(fixedWindowSingle)],
    ];
    const contenders: Contender[] = checks.map(([name, check]) => ({ name, sample: () => measure(name, check) }));
    try {
      const rows = await compare({ contenders, baseline, metrics: METRICS, ratioMetric: 'checksPerSecond', plan: context.plan, log: context.log });
      const rowOf = (name: string) => rows.find((r) => r.contender === name)!;
      const targets = ['Remembr fixed window', 'Remembr GCRA'].map((name) => ({
        text: `${name} ≥ 1.0× rate-limiter-flexible, with exact counts`,
        measured: `${formatRatio(rowOf(name).ratio)}; allowed = expected in every block`,
        met: rowOf(name).ratio >= 1.0,
      }));
      return [
        {
          id: 'rate-limit',
          title: `Rate limiting: ${CONCURRENCY} concurrent callers over ${IDENTITIES} identities`,
          setup: `Limit ${LIMIT} per ${WINDOW_SECONDS} s window per identity. A sample runs blocks of ${CHECKS_PER_SAMPLE.toLocaleString('en-US')} checks ` +
            `(for at least ${context.sampleMs} ms), each block round-robin over ${IDENTITIES} identities no earlier block used, so each identity ` +
            `gets twice its limit and exactly ${(IDENTITIES * LIMIT).toLocaleString('en-US')} must be allowed. Allowed decisions are checked ` +
            `against the expected number (the sum over identities of min(checks received, ${LIMIT})) in every block, and a mismatch aborts the run. ` +
            `Remembr runs on its store (${remembr.config.redisConnections} multiplexed connections); rate-limiter-flexible on one node-redis connection. ` +
            `${context.plan.warmups} warm-up + ${context.plan.rounds} interleaved rounds.`,
          metrics: METRICS,
          ratioMetric: 'checksPerSecond',
          baseline,
          rows,
          targets,
          notes: [],
        },
      ];
    } finally {
      await rlfClient.close();
      await single.close();
      await remembr.close();
    }
  },
};
