import { performance } from 'node:perf_hooks';

/**
 * The measuring machinery every case shares: contenders measured in interleaved rounds after a warm-up, medians,
 * and ratios against a baseline. A case only describes what one sample of each contender is.
 */

/** One thing a case reports per contender, e.g. operations per second or a probe's worst latency. */
export interface Metric {
  key: string;
  label: string;
  /** Higher is better (throughput) or lower is better (latency, time taken). */
  better: 'higher' | 'lower';
  /** Significant digits are chosen by the formatter; this only says how to print it. */
  format: 'count' | 'ms';
}

export interface Contender {
  name: string;
  /** One measurement: a value for every metric of the case. */
  sample(): Promise<Record<string, number>>;
}

export interface Row {
  contender: string;
  medians: Record<string, number>;
  /** Every round's sample, in round order, so a reader can judge the spread. */
  samples: Record<string, number[]>;
  /** Median over rounds of this round's ratio-metric value to the baseline's, oriented so that above 1 is better. */
  ratio: number;
}

export interface Target {
  text: string;
  /** The measured figure the target is judged on, written out. */
  measured: string;
  met: boolean;
}

export interface CaseResult {
  /** Stable id, also the JSON line's `case`. */
  id: string;
  title: string;
  /** What was run, in words: sizes, concurrency, rounds. */
  setup: string;
  metrics: Metric[];
  /** The metric the ratio column is computed on. */
  ratioMetric: string;
  baseline: string;
  rows: Row[];
  targets: Target[];
  notes: string[];
}

export interface RoundPlan {
  rounds: number;
  /** Warm-up samples per contender, thrown away. */
  warmups: number;
}

/**
 * Measures every contender `rounds` times, rotating the order each round (A B C, B C A, C A B, …) so that a noisy
 * moment of the machine lands on each contender alike, and returns medians, and the median of per-round ratios
 * against `baseline`.
 */
export async function compare(options: {
  contenders: Contender[];
  baseline: string;
  metrics: Metric[];
  ratioMetric: string;
  plan: RoundPlan;
  log?: (line: string) => void;
}): Promise<Row[]> {
  const { contenders, plan, metrics } = options;
  for (let i = 0; i < plan.warmups; i++) {
    for (const contender of contenders) await contender.sample();
  }
  const samples = new Map(contenders.map((c) => [c.name, Object.fromEntries(metrics.map((m) => [m.key, [] as number[]]))]));
  for (let round = 0; round < plan.rounds; round++) {
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]!);
    for (const contender of order) {
      const sample = await contender.sample();
      for (const metric of metrics) samples.get(contender.name)![metric.key]!.push(sample[metric.key] ?? Number.NaN);
    }
    options.log?.(`  round ${round + 1}/${plan.rounds}: ${order.map((c) => `${c.name}=${formatValue(samples.get(c.name)![options.ratioMetric]!.at(-1)!, metricOf(metrics, options.ratioMetric))}`).join(', ')}`);
  }
  const ratioMetric = metricOf(metrics, options.ratioMetric);
  const medianOf = (name: string, key: string) => median(samples.get(name)![key]!);
  const baseSamples = samples.get(options.baseline)![ratioMetric.key]!;
  return contenders.map((contender) => {
    // The ratio is taken within each round, where both ran moments apart, and then its median: a machine that is
    // busier in some rounds than in others then moves both sides of a ratio instead of only one median.
    const own = samples.get(contender.name)![ratioMetric.key]!;
    const perRound = own.map((value, round) =>
      ratioMetric.better === 'higher' ? value / baseSamples[round]! : baseSamples[round]! / value,
    );
    return {
      contender: contender.name,
      medians: Object.fromEntries(metrics.map((m) => [m.key, medianOf(contender.name, m.key)])),
      samples: samples.get(contender.name)!,
      ratio: median(perRound),
    };
  });
}

function metricOf(metrics: Metric[], key: string): Metric {
  const metric = metrics.find((m) => m.key === key);
  if (!metric) throw new Error(`no metric ${key}`);
  return metric;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The value at quantile `q` (0..1) of already collected numbers. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * Runs `operation` from `concurrency` callers, each awaiting its previous call before the next, for `durationMs`
 * (or until `count` calls have started, when given), and returns completed calls per second. Each call gets its
 * caller number and a call number (0, 1, 2, … across all callers), so contenders can spread work over keys alike.
 */
export async function throughput(
  operation: (caller: number, n: number) => Promise<unknown>,
  options: { concurrency: number; durationMs?: number; count?: number },
): Promise<number> {
  const started = performance.now();
  const deadline = started + (options.durationMs ?? Number.POSITIVE_INFINITY);
  const count = options.count ?? Number.POSITIVE_INFINITY;
  let next = 0;
  let completed = 0;
  const callers = Array.from({ length: options.concurrency }, async (_, caller) => {
    while (next < count && performance.now() < deadline) {
      await operation(caller, next++);
      completed++;
    }
  });
  await Promise.all(callers);
  return completed / ((performance.now() - started) / 1000);
}

/**
 * `throughput`, plus the CPU this process spent per call (user + system, in microseconds). Only the contender being
 * measured runs while it does, so this is its own cost in Node, free of the waiting that throughput includes.
 */
export async function throughputAndCpu(
  operation: (caller: number, n: number) => Promise<unknown>,
  options: { concurrency: number; durationMs?: number; count?: number },
): Promise<{ perSecond: number; cpuUsPerCall: number }> {
  let calls = 0;
  const cpu = process.cpuUsage();
  const perSecond = await throughput(async (caller, n) => {
    await operation(caller, n);
    calls++;
  }, options);
  const used = process.cpuUsage(cpu);
  return { perSecond, cpuUsPerCall: (used.user + used.system) / Math.max(1, calls) };
}

/** Milliseconds a promise-returning function takes. */
export async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

export function formatValue(value: number, metric: Pick<Metric, 'format'>): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (metric.format === 'ms') return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(value >= 10 ? 1 : 2)} ms`;
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

/** Three significant digits, so a ratio just under a target (0.598) never prints as the target itself (0.60). */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toPrecision(3)}×` : 'n/a';
}

/** Operations per second and the CPU per operation in Node: the metrics of every single-call throughput case. */
export const OPS_AND_CPU: Metric[] = [
  { key: 'opsPerSecond', label: 'ops/s', better: 'higher', format: 'count' },
  { key: 'cpuUsPerOp', label: 'µs CPU per op in Node', better: 'lower', format: 'count' },
];

/** One OPS_AND_CPU sample of `operation`, run as `throughputAndCpu` runs it. */
export async function opsAndCpu(
  operation: (n: number) => Promise<unknown>,
  options: { concurrency: number; durationMs: number },
): Promise<Record<string, number>> {
  const { perSecond, cpuUsPerCall } = await throughputAndCpu((_, n) => operation(n), options);
  return { opsPerSecond: perSecond, cpuUsPerOp: cpuUsPerCall };
}
