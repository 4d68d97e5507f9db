import { createClient, createClientPool } from 'redis';
import { createRemembr } from '../../src/index.js';
import type { BenchCase, BenchContext } from '../context.js';
import { sampleValue } from '../context.js';
import { compare, formatRatio, throughput, type CaseResult, type Contender, type Metric } from '../harness.js';

const CONCURRENCY = 64;
const KEYS = 1000;
const OPS: Metric[] = [{ key: 'opsPerSecond', label: 'ops/s', better: 'higher', format: 'count' }];

/**
 * Not a target: the evidence behind RedisStore's client shape. RedisStore first ran a node-redis pool in which each
 * command holds a connection for its whole round trip, with node-redis's per-command timeout (an AbortSignal per
 * command, and only for the time before the command is written). It now runs a few multiplexed connections and bounds
 * each call itself. This case keeps measuring the same raw JSON get in each shape, beside CacheService as shipped.
 */
export const clientShapeCase: BenchCase = {
  id: 'client-shape',
  fullRunOnly: true,
  title: 'Client shape: exclusive-use pool vs multiplexed connections, with and without node-redis timeouts',
  async run(context: BenchContext): Promise<CaseResult[]> {
    const url = context.redisUrl;
    const text = JSON.stringify(sampleValue());
    const timed = { url, disableOfflineQueue: true, commandOptions: { timeout: 1000 } };
    // node-redis 6 gives every command a 5 s timeout unless told 0; 0 is "none".
    const untimed = { url, disableOfflineQueue: true, commandOptions: { timeout: 0 } };
    const poolOptions = { minimum: 1, maximum: 20, acquireTimeout: 1000 };
    const pools = { timed: createClientPool(timed, poolOptions), untimed: createClientPool(untimed, poolOptions) };
    const singles = { timed: createClient(timed), untimed: createClient(untimed) };
    const pair = [createClient(untimed), createClient(untimed)];
    for (const client of [...Object.values(pools), ...Object.values(singles), ...pair]) await client.connect();
    const remembr = await createRemembr({ redisUrl: url });

    const keyOf = (n: number) => `remembr:bench:shape:${n % KEYS}`;
    for (let n = 0; n < KEYS; n++) await singles.untimed.set(keyOf(n), text);
    const rawGet = (client: (n: number) => { get(key: string): Promise<string | null> }) => async (n: number) => {
      const found = await client(n).get(keyOf(n));
      return found === null ? null : JSON.parse(found);
    };
    const baseline = 'exclusive-use pool of 20, 1 s node-redis timeout: RedisStore until e856800 (baseline)';
    const shapes: Array<[string, (n: number) => Promise<unknown>]> = [
      [baseline, rawGet(() => pools.timed)],
      ['exclusive-use pool of 20, no node-redis timeout', rawGet(() => pools.untimed)],
      ['one multiplexed connection, 1 s node-redis timeout', rawGet(() => singles.timed)],
      ['one multiplexed connection, no node-redis timeout', rawGet(() => singles.untimed)],
      ['two multiplexed connections, round-robin, no node-redis timeout: RedisStore now', rawGet((n) => pair[n % 2]!)],
      [`CacheService on RedisStore as shipped (${remembr.config.redisConnections} connections, own deadline per call)`, (n) => remembr.cache.get(keyOf(n))],
    ];
    const contenders: Contender[] = shapes.map(([name, get]) => ({
      name,
      sample: async () => ({ opsPerSecond: await throughput((_, n) => get(n), { concurrency: CONCURRENCY, durationMs: context.sampleMs }) }),
    }));
    try {
      const rows = await compare({ contenders, baseline, metrics: OPS, ratioMetric: 'opsPerSecond', plan: context.plan, log: context.log });
      const rate = (i: number) => rows[i]!.medians.opsPerSecond!;
      context.findings.push(
        `Client shape: one multiplexed connection answers the same JSON get at ${formatRatio(rate(3) / rate(1))} the exclusive-use ` +
          `pool's rate (both without node-redis's timeout), and node-redis's per-command timeout costs a multiplexed connection ` +
          `${formatRatio(rate(3) / rate(2))} (an AbortSignal.timeout per command). RedisStore now runs ${remembr.config.redisConnections} ` +
          `multiplexed connections with its own deadline per call: CacheService on it runs at ${formatRatio(rows[5]!.ratio)} the old pool's raw rate.`,
      );
      return [
        {
          id: 'client-shape',
          title: 'Client shape (raw JSON get, 64 concurrent callers)',
          setup: `The same ${text.length}-byte JSON get from ${CONCURRENCY} callers through differently built node-redis clients. ` +
            `${context.sampleMs} ms per sample, ${context.plan.warmups} warm-up + ${context.plan.rounds} interleaved rounds. ` +
            'A pool connection serves one command per round trip; a multiplexed connection pipelines every caller\'s command on its socket.',
          metrics: OPS,
          ratioMetric: 'opsPerSecond',
          baseline,
          rows,
          targets: [],
          notes: [
            "node-redis 6's command timeout only covers the time a command waits to be written: once it is on the socket the timer is " +
              'removed, so a Redis that stops answering leaves the command pending (checked by hand: a GET to a SIGSTOPped redis-server ' +
              'was still pending after 3 s with a 300 ms timeout). It costs throughput without bounding the wait; RedisStore now ' +
              'turns it off and puts its own deadline on every call.',
          ],
        },
      ];
    } finally {
      for (const client of [...Object.values(pools), ...Object.values(singles), ...pair]) await client.close();
      await remembr.close();
    }
  },
};
