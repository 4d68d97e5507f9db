import { performance } from 'node:perf_hooks';
import { createRemembr, RedisStore } from '../../src/index.js';
import { startRemoteWriter } from '../../test/support/remote-writer-client.js';
import type { BenchCase, BenchContext } from '../context.js';
import { sampleValue } from '../context.js';
import { compare, formatRatio, quantile, opsAndCpu, OPS_AND_CPU, type CaseResult, type Contender } from '../harness.js';

const CONCURRENCY = 64;
const HOT_KEYS = 100;
const WRITES = 200;
const OPS = OPS_AND_CPU;

/**
 * Server-assisted client-side caching: a hot set of 100 keys of the 1 KB value read by 64 callers, through the
 * raw client, through CacheService without the client cache, and through CacheService with it (every read after
 * the first of each key a hit). Then the staleness window: a writer in another process changes a cached key 200
 * times, and the time from the write being sent there to the invalidation arriving here is recorded.
 */
export const clientCacheCase: BenchCase = {
  id: 'client-cache',
  title: 'Client-side caching: a hot set of 100 keys, and the staleness window',
  async run(context: BenchContext): Promise<CaseResult[]> {
    const value = sampleValue();
    const plain = await createRemembr({ redisUrl: context.redisUrl });
    const cached = await createRemembr({ redisUrl: context.redisUrl, clientCache: {} });
    const plainStore = plain.store;
    const cachedStore = cached.store;
    if (!(plainStore instanceof RedisStore) || !(cachedStore instanceof RedisStore) || !cachedStore.clientCache) {
      throw new Error('the client-cache case needs the Redis store');
    }
    const keyOf = (n: number) => `remembr:bench:hot:${n % HOT_KEYS}`;
    for (let n = 0; n < HOT_KEYS; n++) await plain.cache.set(keyOf(n), value, 3600);
    const names = {
      raw: 'node-redis, raw get + JSON.parse (baseline)',
      plain: `CacheService get, no client cache (${plain.config.redisConnections} connections)`,
      cached: 'CacheService get, client cache on (hits after the first read of each key)',
    };
    const reads: Record<keyof typeof names, (n: number) => Promise<unknown>> = {
      raw: async (n) => {
        const text = await plainStore.client.get(keyOf(n));
        return text === null ? null : JSON.parse(text);
      },
      plain: (n) => plain.cache.get(keyOf(n)),
      cached: (n) => cached.cache.get(keyOf(n)),
    };
    for (const read of Object.values(reads)) {
      const found = (await read(3)) as { id?: string } | null;
      if (found?.id !== value.id) throw new Error('a contender did not read the hot value');
    }
    const writer = await startRemoteWriter(context.redisUrl);
    try {
      context.log('client-cache hot set');
      const contenders: Contender[] = (Object.keys(names) as Array<keyof typeof names>).map((id) => ({
        name: names[id],
        sample: () => opsAndCpu((n) => reads[id](n), { concurrency: CONCURRENCY, durationMs: context.sampleMs }),
      }));
      const rows = await compare({ contenders, baseline: names.raw, metrics: OPS, ratioMetric: 'opsPerSecond', plan: context.plan, log: context.log });
      const ours = rows.find((row) => row.contender === names.cached)!;

      context.log('client-cache staleness window');
      const windows = await stalenessWindows(cachedStore, cached.cache, writer, context.quick ? 50 : WRITES);
      const ms = (q: number) => quantile(windows, q).toFixed(2);
      return [
        {
          id: 'client-cache-hot',
          title: `Client-side caching: get of a hot set of ${HOT_KEYS} keys, ${CONCURRENCY} concurrent callers`,
          setup: `${JSON.stringify(value).length}-byte JSON value, ${HOT_KEYS} keys read round-robin by ${CONCURRENCY} callers each awaiting its ` +
            `previous call, ${context.sampleMs} ms per sample, ${context.plan.warmups} warm-up + ${context.plan.rounds} interleaved rounds. ` +
            'The raw contender and the uncached CacheService share one store; the cached CacheService has its own store ' +
            `(RESP3, CLIENT TRACKING ON, default bounds: ${cachedStore.clientCache.options.maxEntries} entries, ` +
            `${cachedStore.clientCache.options.maxBytes / 2 ** 20} MiB, ${cachedStore.clientCache.options.maxAgeMs / 1000} s).`,
          metrics: OPS,
          ratioMetric: 'opsPerSecond',
          baseline: names.raw,
          rows,
          targets: [
            {
              text: `With the client cache, get of a hot set (${HOT_KEYS} keys, ${CONCURRENCY} callers) ≥ 3× the raw client's get`,
              measured: formatRatio(ours.ratio),
              met: ours.ratio >= 3,
            },
          ],
          notes: [
            'A hit never leaves the process: a Map lookup, a TTL check and the value parsed and frozen at its first read, ' +
              'handed to every caller (so the cached contender does no JSON.parse per call, where the other two do).',
            `Staleness window, ${windows.length} writes by a client in another process to a key this process holds: from the write ` +
              `being sent there to Redis's invalidation arriving here, median ${ms(0.5)} ms, p99 ${ms(0.99)} ms, max ${ms(1)} ms. ` +
              'Inside it this process still answers the old value, as a read sent just before the write would have; after it, ' +
              '0 stale reads (test/client-cache.test.ts).',
          ],
        },
      ];
    } finally {
      await writer.stop();
      await cached.close();
      await plain.close();
    }
  },
};

/** For each write: ms from the write being sent in the writer's process to the invalidation arriving here. */
async function stalenessWindows(
  store: RedisStore,
  cache: { get(key: string): Promise<unknown> },
  writer: Awaited<ReturnType<typeof startRemoteWriter>>,
  writes: number,
): Promise<number[]> {
  const key = 'remembr:bench:stale:key';
  const windows: number[] = [];
  await writer.send(['SET', key, '0']);
  for (let i = 1; i <= writes; i++) {
    await cache.get(key);
    const arrived = new Promise<number>((resolve) => {
      const listener = (invalidated: string | null) => {
        if (invalidated !== null && invalidated !== key) return;
        store.clientCache!.off('invalidate', listener);
        resolve(performance.timeOrigin + performance.now());
      };
      store.clientCache!.on('invalidate', listener);
    });
    const write = await writer.send(['SET', key, String(i)]);
    windows.push((await arrived) - write.sentAt);
  }
  return windows;
}
