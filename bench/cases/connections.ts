import { createRemembr, DEFAULTS, type Remembr } from '../../src/index.js';
import type { BenchCase, BenchContext } from '../context.js';
import { sampleValue } from '../context.js';
import { compare, formatRatio, opsAndCpu, OPS_AND_CPU, type CaseResult, type Contender, type Row } from '../harness.js';

const CONNECTION_COUNTS = [1, 2, 4];
const CALLER_COUNTS = [64, 256];
const KEYS = 1000;
const TTL_SECONDS = 300;
const OPS = OPS_AND_CPU;

/**
 * The evidence behind the default REDIS_CONNECTIONS: CacheService get and set of the 1 KB value on stores of 1, 2
 * and 4 multiplexed connections, at 64 and at 256 concurrent callers. Each caller count is its own table, with the
 * one-connection store as its baseline, so a row reads as "what more connections buy at this load".
 */
export const connectionsCase: BenchCase = {
  id: 'connections',
  title: 'Default connection count: CacheService on 1, 2 and 4 connections at 64 and 256 callers',
  async run(context: BenchContext): Promise<CaseResult[]> {
    const value = sampleValue();
    const stores = new Map<number, Remembr>();
    for (const connections of CONNECTION_COUNTS) {
      stores.set(connections, await createRemembr({ redisUrl: context.redisUrl, redisConnections: connections }));
    }
    const keyOf = (n: number) => `remembr:bench:connections:${n % KEYS}`;
    const any = stores.get(1)!;
    for (let n = 0; n < KEYS; n++) await any.cache.set(keyOf(n), value, TTL_SECONDS);
    const name = (connections: number) => `${connections} connection${connections === 1 ? '' : 's'}${connections === 1 ? ' (baseline)' : ''}`;
    try {
      const results: CaseResult[] = [];
      for (const op of ['get', 'set'] as const) {
        for (const callers of CALLER_COUNTS) {
          context.log(`connections ${op}, ${callers} callers`);
          const contenders: Contender[] = CONNECTION_COUNTS.map((connections) => {
            const cache = stores.get(connections)!.cache;
            const call = op === 'get' ? (n: number) => cache.get(keyOf(n)) : (n: number) => cache.set(keyOf(n), value, TTL_SECONDS);
            return {
              name: name(connections),
              sample: () => opsAndCpu((n) => call(n), { concurrency: callers, durationMs: context.sampleMs }),
            };
          });
          const rows = await compare({ contenders, baseline: name(1), metrics: OPS, ratioMetric: 'opsPerSecond', plan: context.plan, log: context.log });
          results.push({
            id: `connections-${op}-${callers}`,
            title: `CacheService ${op} on 1, 2 and 4 connections, ${callers} concurrent callers`,
            setup: `${JSON.stringify(value).length}-byte JSON value, ${KEYS} keys, ${callers} callers each awaiting its previous call, ` +
              `${context.sampleMs} ms per sample, ${context.plan.warmups} warm-up + ${context.plan.rounds} interleaved rounds. ` +
              'Each store multiplexes every concurrent command over its connections, round-robin.',
            metrics: OPS,
            ratioMetric: 'opsPerSecond',
            baseline: name(1),
            rows,
            targets: [],
            notes: [],
          });
        }
      }
      context.findings.push(connectionFinding(results, DEFAULTS.redisConnections));
      return results;
    } finally {
      for (const remembr of stores.values()) await remembr.close();
    }
  },
};

/** One line naming, per table, the connection count that was fastest, beside the shipped default. */
function connectionFinding(results: CaseResult[], shipped: number): string {
  const best = (rows: Row[]) => rows.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  const parts = results.map((result) => {
    const winner = best(result.rows);
    const others = result.rows.filter((row) => row !== result.rows[0]).map((row) => `${row.contender.split(' ')[0]}: ${formatRatio(row.ratio)}`);
    return `${result.id.replace('connections-', '').replace('-', ' at ')} callers: fastest ${winner.contender.split(' ')[0]} (vs 1 connection, ${others.join(', ')})`;
  });
  return `Connection count: ${parts.join('; ')}. The default (REDIS_CONNECTIONS) is ${shipped}.`;
}
