import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/**
 * Remembr's metrics: one prom-client Registry per Remembr instance (never the global one, so two instances in one
 * process, or in one test file, keep their numbers apart), rendered in the Prometheus text format.
 *
 * Counters and histograms on hot paths are kept here, not in prom-client's own Counter and Histogram: those hash
 * and validate the labels on every call, even through `labels()` (about a microsecond a count on a busy machine,
 * which is several percent of a cache read). A handle from `labels()` here is a plain field update; the registry
 * reads the cells only when it is scraped, through the metric-object shape prom-client's Registry renders.
 * Gauges, set in the background or at scrape time, are prom-client's own.
 */
export type Labels = Record<string, string>;

/** One counter series, bound once: `inc` is a field update. */
export interface Counter {
  inc(by?: number): void;
}

/** One histogram series, bound once: `observe` walks the bucket bounds and updates three fields. */
export interface Observer {
  observe(value: number): void;
}

/** What a family does when label sets keep coming (a bug passing ids as label values): fold them into one. */
const MAX_SERIES_PER_FAMILY = 500;
const OVERFLOW = 'other';

/** Store command latency in seconds: a local Redis answers in tens of microseconds, an outage takes the timeout. */
export const STORE_LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** HTTP request latency in seconds. */
export const HTTP_LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface CounterCell {
  labels: Labels;
  value: number;
}

interface HistogramCell {
  labels: Labels;
  /** Observations per bucket (not cumulative); the last slot is above every bound. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/** The parts every family shares: a fixed label list, series by their label values, and the overflow bound. */
abstract class Family<Cell extends { labels: Labels }> {
  readonly aggregator = 'sum' as const;
  protected readonly cells = new Map<string, Cell>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  protected abstract create(labels: Labels): Cell;

  protected cell(values: readonly string[], overflow = false): Cell {
    const id = values.length === 1 ? values[0]! : values.join('\u0001');
    let cell = this.cells.get(id);
    if (cell !== undefined) return cell;
    if (!overflow && this.cells.size >= MAX_SERIES_PER_FAMILY) return this.cell(this.labelNames.map(() => OVERFLOW), true);
    const labels: Labels = {};
    this.labelNames.forEach((name, i) => (labels[name] = values[i] ?? ''));
    cell = this.create(labels);
    this.cells.set(id, cell);
    return cell;
  }

  protected valuesOf(labels: Labels): string[] {
    return this.labelNames.map((name) => labels[name] ?? '');
  }

  /** How many series the family holds. */
  get size(): number {
    return this.cells.size;
  }

  reset(): void {
    this.cells.clear();
  }
}

export class CounterFamily extends Family<CounterCell> {
  readonly type = 'counter' as const;

  protected create(labels: Labels): CounterCell {
    return { labels, value: 0 };
  }

  /** A handle on one series, by label values in the order of `labelNames`. */
  labels(...values: string[]): Counter {
    const cell = this.cell(values);
    return {
      inc: (by = 1) => {
        cell.value += by;
      },
    };
  }

  inc(labels: Labels = {}, by = 1): void {
    this.cell(this.valuesOf(labels)).value += by;
  }

  /** The sum of the series whose labels include `labels` (one series when every label is given; 0 when none). */
  value(labels: Labels = {}): number {
    return this.total(labels);
  }


  /** The sum over every series whose labels satisfy `test`. */
  sumWhere(test: (labels: Labels) => boolean): number {
    let sum = 0;
    for (const cell of this.cells.values()) if (test(cell.labels)) sum += cell.value;
    return sum;
  }

  /** The sum over every series whose labels include `match`. */
  total(match: Labels = {}): number {
    let sum = 0;
    for (const cell of this.cells.values()) if (matches(cell.labels, match)) sum += cell.value;
    return sum;
  }

  /** The metric-object shape prom-client's Registry renders (and returns from getMetricsAsJSON). */
  async get() {
    return {
      name: this.name,
      help: this.help,
      type: 'counter' as const,
      aggregator: this.aggregator,
      values: [...this.cells.values()].map((cell) => ({ labels: cell.labels, value: cell.value })),
    };
  }
}

export class HistogramFamily extends Family<HistogramCell> {
  readonly type = 'histogram' as const;

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    readonly buckets: readonly number[],
  ) {
    super(name, help, labelNames);
  }

  protected create(labels: Labels): HistogramCell {
    return { labels, counts: new Float64Array(this.buckets.length + 1), sum: 0, count: 0 };
  }

  labels(...values: string[]): Observer {
    const cell = this.cell(values);
    const bounds = this.buckets;
    return {
      observe: (value: number) => {
        let i = 0;
        while (i < bounds.length && value > bounds[i]!) i++;
        cell.counts[i]!++;
        cell.sum += value;
        cell.count++;
      },
    };
  }

  observe(labels: Labels, value: number): void {
    this.labels(...this.valuesOf(labels)).observe(value);
  }

  /**
   * Observations per bucket (not cumulative, the last one above every bound) summed over every series whose labels
   * include `match`: what a dashboard differences between two moments to estimate percentiles.
   */
  counts(match: Labels = {}): number[] {
    const sum = new Array<number>(this.buckets.length + 1).fill(0);
    for (const cell of this.cells.values()) {
      if (!matches(cell.labels, match)) continue;
      cell.counts.forEach((n, i) => (sum[i]! += n));
    }
    return sum;
  }

  async get() {
    const values: Array<{ metricName: string; labels: Record<string, string | number>; value: number }> = [];
    for (const cell of this.cells.values()) {
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += cell.counts[i]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { ...cell.labels, le: bound }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { ...cell.labels, le: '+Inf' }, value: cell.count });
      values.push({ metricName: `${this.name}_sum`, labels: cell.labels, value: cell.sum });
      values.push({ metricName: `${this.name}_count`, labels: cell.labels, value: cell.count });
    }
    return { name: this.name, help: this.help, type: 'histogram' as const, aggregator: this.aggregator, values };
  }
}

function matches(labels: Labels, match: Labels): boolean {
  for (const key in match) if (labels[key] !== match[key]) return false;
  return true;
}

/**
 * The p-quantile (0..1) of observations counted per bucket, interpolated inside the bucket it falls in, the way
 * Prometheus's histogram_quantile does; undefined without observations. Above the last bound it answers that bound.
 */
export function quantile(buckets: readonly number[], counts: readonly number[], p: number): number | undefined {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const rank = p * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i]!;
    if (seen + n >= rank && n > 0) {
      if (i >= buckets.length) return buckets[buckets.length - 1];
      const lower = i === 0 ? 0 : buckets[i - 1]!;
      return lower + (buckets[i]! - lower) * ((rank - seen) / n);
    }
    seen += n;
  }
  return buckets[buckets.length - 1];
}

export class Metrics {
  /** This instance's registry: what /metrics renders. */
  readonly registry = new Registry();
  readonly #families = new Map<string, CounterFamily | HistogramFamily | Gauge>();
  #processMetrics = false;

  /** Declares (or returns the already declared) counter family `name`. */
  counterFamily(name: string, help: string, labelNames: readonly string[] = []): CounterFamily {
    return this.#declare(name, labelNames, CounterFamily, () => new CounterFamily(name, help, labelNames));
  }

  /** Declares (or returns the already declared) histogram family `name`, in seconds by convention. */
  histogramFamily(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]): HistogramFamily {
    return this.#declare(name, labelNames, HistogramFamily, () => new HistogramFamily(name, help, labelNames, buckets));
  }

  /** A prom-client Gauge in this registry; `collect` (if given) runs at every scrape to set it. */
  gauge(name: string, help: string, labelNames: readonly string[] = [], collect?: (gauge: Gauge) => void): Gauge {
    const known = this.#families.get(name);
    if (known instanceof Gauge) return known;
    if (known) throw new Error(`metric ${name} is already declared as a ${known.constructor.name}`);
    const gauge = new Gauge({
      name,
      help,
      labelNames: [...labelNames],
      registers: [this.registry],
      ...(collect ? { collect(this: Gauge) { collect(this); } } : {}),
    });
    this.#families.set(name, gauge);
    return gauge;
  }

  #declare<F extends CounterFamily | HistogramFamily>(
    name: string,
    labelNames: readonly string[],
    kind: new (...args: never[]) => F,
    make: () => F,
  ): F {
    const known = this.#families.get(name);
    if (known !== undefined) {
      if (!(known instanceof kind) || known.labelNames.join() !== labelNames.join()) {
        throw new Error(`metric ${name} is already declared with other labels or of another type`);
      }
      return known;
    }
    const family = make();
    this.#families.set(name, family);
    this.registry.registerMetric(family as never);
    return family;
  }

  /** The family `name` if declared (tests and the dashboard read through it). */
  family(name: string): CounterFamily | HistogramFamily | Gauge | undefined {
    return this.#families.get(name);
  }

  /**
   * Adds to a counter declared on first use with these label names (sorted). For a one-off count; a path that
   * counts on every call declares its family and keeps handles.
   */
  increment(name: string, labels: Labels = {}, by = 1, help?: string): void {
    this.counterFamily(name, help ?? name, Object.keys(labels).sort()).inc(labels, by);
  }

  /** A handle on one counter series (the family declared on first use, as for `increment`). */
  counter(name: string, labels: Labels = {}, help?: string): Counter {
    const family = this.counterFamily(name, help ?? name, Object.keys(labels).sort());
    return family.labels(...family.labelNames.map((key) => labels[key]!));
  }

  /** The sum of the counter series whose labels include `labels` (0 when never counted or not declared). */
  value(name: string, labels: Labels = {}): number {
    const family = this.#families.get(name);
    return family instanceof CounterFamily ? family.value(labels) : 0;
  }

  /** Node process figures (CPU, memory, event loop lag, GC…), prom-client's defaults, prefixed `remembr_`. */
  collectProcessMetrics(): void {
    if (this.#processMetrics) return;
    this.#processMetrics = true;
    collectDefaultMetrics({ register: this.registry, prefix: 'remembr_' });
    // prom-client also names three gauges *_total, a suffix the exposition format keeps for counters (promtool
    // flags them). They are the sums of nodejs_active_{handles,requests,resources}, which stay, by type.
    for (const name of ['active_handles_total', 'active_requests_total', 'active_resources_total']) {
      this.registry.removeSingleMetric(`remembr_nodejs_${name}`);
    }
  }

  /** Prometheus text exposition of everything in the registry. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
