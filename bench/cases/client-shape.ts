import { createClient, createClientPool } from 'redis';
import { CacheService } from '../../src/index.js';
import type { BenchCase, BenchContext } from '../context.js';
import { sampleValue } from '../context.js';
import { multiplexedStore } from '../what-if.js';
import { compare, formatRatio, throughput, type CaseResult, type Contender, type Metric } from '../harness.js';

const CONCURRENCY = 64;
const KEYS = 1000;
const OPS: Metric[] = [{ key: 'opsPerSecond', label: 'ops/s', better: 'higher', format: 'count' }];

/**
 * Not a target: the evidence for a design question. RedisStore runs a pool of node-redis connections, each command
 * holding one connection for its whole round trip, and passes a command timeout that node-redis implements with an
 * AbortSignal per command. This case measures the same raw JSON get in four client shapes, plus CacheService on
 * RedisStore's own code with its pool swapped for one multiplexed client, to show what each choice costs.
 */
export const clientShapeCase: BenchCase = {
  id: 'client-shape',
  title: 'Design question: node-redis pool vs one multiplexed client, with and without a per-command timeout',
  async run(context: BenchContext): Promise<CaseResult[]> {
    const url = context.redisUrl;
    const text = JSON.stringify(sampleValue());
    const shipped = { url, disableOfflineQueue: true, commandOptions: { timeout: 1000 } };
    // node-redis 6 gives every command a 5 s timeout unless told 0; 0 is "none".
    const untimed = { url, disableOfflineQueue: true, commandOptions: { timeout: 0 } };
    const poolOptions = { minimum: 1, maximum: 20, acquireTimeout: 1000 };
    const clients = {
      poolTimed: createClientPool(shipped, poolOptions),
      poolUntimed: createClientPool(untimed, poolOptions),
      singleTimed: createClient(shipped),
      singleUntimed: createClient(untimed),
    };
    for (const client of Object.values(clients)) await client.connect();
    const store = await multiplexedStore(url);
    const cache = new CacheService(store);

    const keyOf = (n: number) => `remembr:bench:shape:${n % KEYS}`;
    for (let n = 0; n < KEYS; n++) await clients.singleUntimed.set(keyOf(n), text);
    const rawGet = (client: { get(key: string): Promise<string | null> }) => async (n: number) => {
      const found = await client.get(keyOf(n));
      return found === null ? null : JSON.parse(found);
    };
    const shapes: Array<[string, (n: number) => Promise<unknown>]> = [
      ['pool of 20, 1 s command timeout: as RedisStore ships (baseline)', rawGet(clients.poolTimed)],
      ['pool of 20, no command timeout', rawGet(clients.poolUntimed)],
      ['one client, 1 s command timeout', rawGet(clients.singleTimed)],
      ['one client, no command timeout', rawGet(clients.singleUntimed)],
      ['CacheService on RedisStore code over one client, no timeout (what-if)', (n) => cache.get(keyOf(n))],
    ];
    const contenders: Contender[] = shapes.map(([name, get]) => ({
      name,
      sample: async () => ({ opsPerSecond: await throughput((_, n) => get(n), { concurrency: CONCURRENCY, durationMs: context.sampleMs }) }),
    }));
    try {
      const rows = await compare({ contenders, baseline: shapes[0]![0], metrics: OPS, ratioMetric: 'opsPerSecond', plan: context.plan, log: context.log });
      const ratioOf = (i: number) => formatRatio(rows[i]!.ratio);
      context.findings.push(
        `Redis client shape (design question for the lead): one multiplexed client answers the same JSON get at ` +
          `${formatRatio(rows[3]!.medians.opsPerSecond! / rows[1]!.medians.opsPerSecond!)} the pool's rate (both without a timeout), and ` +
          `node-redis's per-command timeout costs the single client ${formatRatio(rows[3]!.medians.opsPerSecond! / rows[2]!.medians.opsPerSecond!)} ` +
          `(an AbortSignal.timeout per command). CacheService on RedisStore's code over one untimed client runs at ${ratioOf(4)} of today's pool; ` +
          `see the client-shape table.`,
      );
      return [
        {
          id: 'client-shape',
          title: 'Design question: client shape for RedisStore (raw JSON get, 64 concurrent callers)',
          setup: `The same ${text.length}-byte JSON get from ${CONCURRENCY} callers through differently built node-redis clients. ` +
            `${context.sampleMs} ms per sample, ${context.plan.warmups} warm-up + ${context.plan.rounds} interleaved rounds. ` +
            `A pool connection serves one command per round trip; one client pipelines every caller's command on its socket.`,
          metrics: OPS,
          ratioMetric: 'opsPerSecond',
          baseline: shapes[0]![0],
          rows,
          targets: [],
          notes: [
            "node-redis 6's command timeout only covers the time a command waits to be written: once it is on the socket the timer is " +
              'removed, so a Redis that stops answering (SIGSTOP, a dropped network) leaves the command pending with no timeout at all ' +
              '(checked by hand: a GET to a SIGSTOPped redis-server was still pending after 3 s with a 300 ms timeout). The timeout ' +
              'costs throughput without bounding the wait it is configured for.',
          ],
        },
      ];
    } finally {
      for (const client of Object.values(clients)) await client.close();
      await store.close();
    }
  },
};
