import { createKeyv } from '@keyv/redis';
import { createCache } from 'cache-manager';
import { CacheService, createRemembr, DEFAULTS, RedisStore } from '../../src/index.js';
import type { BenchCase, BenchContext } from '../context.js';
import { redisBenchmark } from '../redis-benchmark.js';
import { sampleValue } from '../context.js';
import { compare, formatRatio, median, opsAndCpu, OPS_AND_CPU, type CaseResult, type Contender, type Row, type Target } from '../harness.js';

const CONCURRENCY = 64;
/** Distinct keys each contender cycles through, so reads hit a realistic keyspace rather than one hot key. */
const KEYS = 1000;
const TTL_SECONDS = 300;

const OPS = OPS_AND_CPU;

/**
 * Case 1: JSON get and set of a ~1 KB value from 64 concurrent callers. Every contender does the same work: the
 * value is JSON-encoded on the way in and parsed on the way out, and every write carries a TTL. Each writes its own
 * keyspace, because Keyv stores an envelope around the value and its keys are not ours to share.
 */
export const cacheJsonCase: BenchCase = {
  id: 'cache-json',
  title: 'JSON get/set of a ~1 KB value, 64 concurrent callers',
  async run(context: BenchContext): Promise<CaseResult[]> {
    const value = sampleValue();
    const remembr = await createRemembr({ redisUrl: context.redisUrl });
    const store = remembr.store;
    if (!(store instanceof RedisStore)) throw new Error('the benchmark needs the Redis store');
    // Keyv and cache-manager each run on one connection; the default store now has one too, and the other count runs beside it.
    // The other connection count beside the default one (1 ↔ 2), each with its own raw contender.
    const other = DEFAULTS.redisConnections === 1 ? 2 : 1;
    const single = await createRemembr({ redisUrl: context.redisUrl, redisConnections: other });
    // The raw contender asks the store for a connection per call, so it spreads over the same connections alike.
    const raw = () => store.client;
    const singleStore = single.store;
    if (!(singleStore instanceof RedisStore)) throw new Error('the benchmark needs the Redis store');
    // The same service on the store without MeasuredStore's latency histogram around each call: what metrics cost.
    const unmeasured = new CacheService(store);
    const keyv = createKeyv(context.redisUrl);
    const cacheManager = createCache({ stores: [createKeyv(context.redisUrl)] });

    const keyOf = (space: string, n: number) => `remembr:bench:${space}:${n % KEYS}`;
    const ttl = { expiration: { type: 'EX', value: TTL_SECONDS } } as const;
    const writers = {
      remembr: (n: number) => remembr.cache.set(keyOf('remembr', n), value, TTL_SECONDS),
      single: (n: number) => single.cache.set(keyOf('single', n), value, TTL_SECONDS),
      unmeasured: (n: number) => unmeasured.set(keyOf('unmeasured', n), value, TTL_SECONDS),
      raw: (n: number) => raw().set(keyOf('raw', n), JSON.stringify(value), ttl),
      rawSingle: (n: number) => singleStore.client.set(keyOf('rawsingle', n), JSON.stringify(value), ttl),
      keyv: (n: number) => keyv.set(keyOf('keyv', n), value, TTL_SECONDS * 1000),
      cacheManager: (n: number) => cacheManager.set(keyOf('cm', n), value, TTL_SECONDS * 1000),
    };
    const readers = {
      remembr: (n: number) => remembr.cache.get(keyOf('remembr', n)),
      single: (n: number) => single.cache.get(keyOf('single', n)),
      unmeasured: (n: number) => unmeasured.get(keyOf('unmeasured', n)),
      raw: async (n: number) => parseOrNull(await raw().get(keyOf('raw', n))),
      rawSingle: async (n: number) => parseOrNull(await singleStore.client.get(keyOf('rawsingle', n))),
      keyv: (n: number) => keyv.get(keyOf('keyv', n)),
      cacheManager: (n: number) => cacheManager.get(keyOf('cm', n)),
    };
    const names = {
      remembr: 'Remembr CacheService',
      single: `Remembr CacheService, store of ${other} connection${other === 1 ? '' : 's'}`,
      unmeasured: 'Remembr CacheService without store metrics (no latency histogram per call)',
      raw: 'node-redis, raw, on the same connections (baseline)',
      rawSingle: `node-redis, raw, on the ${other}-connection store's connections`,
      keyv: 'Keyv + @keyv/redis',
      cacheManager: 'cache-manager 7 (Keyv Redis store)',
    };

    // Every reader must find a value, or "get" would measure misses.
    for (const write of Object.values(writers)) {
      for (let n = 0; n < KEYS; n += CONCURRENCY) await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => write(n + i)));
    }
    for (const [id, read] of Object.entries(readers)) {
      const found = await read(7);
      if (!found || typeof found !== 'object' || (found as { id?: unknown }).id !== value.id) {
        throw new Error(`${id} did not read back the value it wrote`);
      }
    }

    const contendersOf = (op: 'get' | 'set', ops: Record<keyof typeof names, (n: number) => Promise<unknown>>): Contender[] => [
      ...(Object.keys(names) as Array<keyof typeof names>).map((id) => ({
        name: names[id],
        sample: () => opsAndCpu((n) => ops[id](n), { concurrency: CONCURRENCY, durationMs: context.sampleMs }),
      })),
      ...[1, 16].map((pipeline) => ceilingContender(op, pipeline, Number(new URL(context.redisUrl).port), JSON.stringify(value).length, context.sampleMs)),
    ];

    try {
      const results: CaseResult[] = [];
      for (const [op, ops] of [['get', readers], ['set', writers]] as const) {
        context.log(`cache-json ${op}`);
        const rows = await compare({
          contenders: contendersOf(op, ops),
          baseline: names.raw,
          metrics: OPS,
          ratioMetric: 'opsPerSecond',
          plan: context.plan,
          log: context.log,
        });
        results.push({
          id: `cache-json-${op}`,
          title: `JSON ${op} of a ~1 KB value, ${CONCURRENCY} concurrent callers`,
          setup: `${JSON.stringify(value).length}-byte JSON value, ${KEYS} keys per contender, TTL ${TTL_SECONDS} s on writes, ` +
            `${CONCURRENCY} callers each awaiting its previous call, ${context.sampleMs} ms per sample, ` +
            `${context.plan.warmups} warm-up + ${context.plan.rounds} interleaved rounds. Remembr's store has its default ` +
            `${remembr.config.redisConnections} multiplexed connections; the raw contender uses the same ones; Keyv and cache-manager ` +
            'each open one node-redis connection, as their READMEs set them up.',
          metrics: OPS,
          ratioMetric: 'opsPerSecond',
          baseline: names.raw,
          rows,
          targets: cacheTargets(op, rows, names, other),
          notes: [ceilingNote(op, rows, names.remembr), METRICS_NOTE, ...(op === 'set'
            ? [
                'What CacheService.set adds to the raw call, by CPU profile: it checks that the value is plain JSON before ' +
                  'JSON.stringify (so a BigInt, NaN, undefined in an array or a cycle is refused instead of silently changed), ' +
                  'validates the TTL, counts the operation, and runs under the store\'s per-call deadline. The CPU column shows ' +
                  'the sum; gets only parse, so they stay close to raw.',
              ]
            : [])],
        });
      }
      return results;
    } finally {
      await keyv.disconnect();
      await cacheManager.disconnect();
      await single.close();
      await remembr.close();
    }
  },
};

/** How the shipped service measures get and set, so the "without store metrics" row reads right. */
const METRICS_NOTE =
  'The store latency histogram of get and set is recorded inside the store\'s own per-call deadline bookkeeping ' +
  '(RedisStore.timedCalls: FailFast already reads the clock when a call starts), one clock read more per call and no ' +
  'promise layer of its own; every call is observed, so the histogram\'s _count stays exact. The row without store ' +
  'metrics is the same CacheService on the raw store; on this shared machine a single run moves that ratio by several ' +
  'percent either way, so its CPU column is the steadier reading of what metrics cost.';

/** The machine's ceiling: name of the redis-benchmark row of `op` with `pipeline` commands per round trip. */
export const ceilingName = (op: string, pipeline: number) =>
  `redis-benchmark ${op.toUpperCase()}, ${CONCURRENCY} connections, ${pipeline === 1 ? 'unpipelined' : `-P ${pipeline}`} (the machine's ceiling)`;

/**
 * redis-benchmark of the same command, value size and keyspace, sized to run about one sample's time (the request
 * count follows the rate it last reached). Its CPU is its own process's, not Node's: that column is left empty.
 */
function ceilingContender(op: 'get' | 'set', pipeline: number, port: number, valueBytes: number, sampleMs: number): Contender {
  let requests = pipeline === 1 ? 5_000 : 50_000;
  return {
    name: ceilingName(op, pipeline),
    sample: async () => {
      const rps = await redisBenchmark({ port, command: op, clients: CONCURRENCY, pipeline, requests, valueBytes, keyspace: KEYS });
      requests = Math.max(2_000, Math.round((rps * sampleMs) / 1000));
      return { opsPerSecond: rps, cpuUsPerOp: Number.NaN };
    },
  };
}

function parseOrNull(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

/** CacheService's rate as a fraction of what redis-benchmark reached for the same command here. */
function ceilingNote(op: string, rows: Row[], ours: string): string {
  const rate = (name: string) => rows.find((r) => r.contender === name)!.medians.opsPerSecond!;
  const share = (pipeline: number) => `${((100 * rate(ours)) / rate(ceilingName(op, pipeline))).toFixed(0)}%`;
  return `Against the machine's ceiling: CacheService ${op} runs at ${share(1)} of redis-benchmark's unpipelined rate and ` +
    `${share(16)} of its -P 16 rate (same command, value size and keyspace, ${CONCURRENCY} connections). CacheService ` +
    'pipelines every concurrent caller on its few connections, so it is not bound by one round trip per connection as ' +
    'unpipelined redis-benchmark is; -P 16 is about what Redis itself can answer on this machine.';
}

function cacheTargets(op: string, rows: Row[], names: Record<string, string>, other: number): Target[] {
  const row = (name: string) => rows.find((r) => r.contender === name)!;
  const ours = row(names.remembr!);
  const oursSingle = row(names.single!);
  const rawSingle = row(names.rawSingle!);
  const peers = [row(names.keyv!), row(names.cacheManager!)];
  const unmeasured = row(names.unmeasured!);
  const rate = (r: Row) => r.medians.opsPerSecond!;
  // Ahead with the default store, and with the store of the other connection count.
  const ahead = peers.every((peer) => rate(ours) > rate(peer) && rate(oursSingle) > rate(peer));
  // Metrics cost: how much slower the shipped service (MeasuredStore + counters) is than the same service unmeasured.
  // Per round, as the ratio column is: both ran moments apart.
  const metricsCost = 1 - median(ours.samples.opsPerSecond!.map((own, i) => own / unmeasured.samples.opsPerSecond![i]!));
  return [
    {
      text: `Metrics cost ≤ 3% on ${op}`,
      measured: `${(100 * metricsCost).toFixed(1)}% (${Math.round(rate(ours)).toLocaleString('en-US')} ops/s with, ${Math.round(rate(unmeasured)).toLocaleString('en-US')} without the store latency histogram)`,
      met: metricsCost <= 0.03,
    },
    {
      text: `CacheService ${op} ≥ 0.95× the raw client on the same connections, at the shipped default`,
      measured: `${formatRatio(ours.ratio)} (${other}-connection store vs its raw connections: ${formatRatio(rate(oursSingle) / rate(rawSingle))})`,
      met: ours.ratio >= 0.95,
    },
    {
      text: `CacheService ${op} ahead of Keyv and cache-manager`,
      measured: peers
        .map((peer) => `${formatRatio(rate(ours) / rate(peer))} of ${peer.contender} (${other} connection${other === 1 ? '' : 's'}: ${formatRatio(rate(oursSingle) / rate(peer))})`)
        .join(', '),
      met: ahead,
    },
  ];
}
