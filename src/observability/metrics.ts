/**
 * Counters and latency summaries kept in process and rendered in the Prometheus text format. Small on purpose:
 * the numbers the guide asks to watch (hit rate, failures, latency) and the decisions Remembr makes when the store
 * is down, which would otherwise be invisible.
 */
export type Labels = Record<string, string>;

const BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

interface Histogram {
  buckets: number[];
  sum: number;
  count: number;
}

export class Metrics {
  readonly #counters = new Map<string, Map<string, number>>();
  readonly #histograms = new Map<string, Map<string, Histogram>>();
  readonly #help = new Map<string, string>();

  /** Adds to a counter; the first call names its help text. */
  increment(name: string, labels: Labels = {}, by = 1, help?: string): void {
    if (help && !this.#help.has(name)) this.#help.set(name, help);
    const series = this.#counters.get(name) ?? new Map<string, number>();
    this.#counters.set(name, series);
    const id = labelText(labels);
    series.set(id, (series.get(id) ?? 0) + by);
  }

  /** Records one duration in milliseconds. */
  observe(name: string, labels: Labels, ms: number, help?: string): void {
    if (help && !this.#help.has(name)) this.#help.set(name, help);
    const series = this.#histograms.get(name) ?? new Map<string, Histogram>();
    this.#histograms.set(name, series);
    const id = labelText(labels);
    let h = series.get(id);
    if (!h) series.set(id, (h = { buckets: BUCKETS_MS.map(() => 0), sum: 0, count: 0 }));
    h.sum += ms;
    h.count++;
    BUCKETS_MS.forEach((bound, i) => {
      if (ms <= bound) h.buckets[i]!++;
    });
  }

  /** The current value of a counter series (0 when never counted). */
  value(name: string, labels: Labels = {}): number {
    return this.#counters.get(name)?.get(labelText(labels)) ?? 0;
  }

  /** Prometheus exposition text. */
  render(extra: Array<{ name: string; help: string; value: number }> = []): string {
    const lines: string[] = [];
    for (const [name, series] of this.#counters) {
      lines.push(`# HELP ${name} ${this.#help.get(name) ?? name}`, `# TYPE ${name} counter`);
      for (const [id, value] of series) lines.push(`${name}${id ? `{${id}}` : ''} ${value}`);
    }
    for (const [name, series] of this.#histograms) {
      lines.push(`# HELP ${name} ${this.#help.get(name) ?? name}`, `# TYPE ${name} histogram`);
      for (const [id, h] of series) {
        const sep = id ? `${id},` : '';
        BUCKETS_MS.forEach((bound, i) => lines.push(`${name}_bucket{${sep}le="${bound}"} ${h.buckets[i]}`));
        lines.push(`${name}_bucket{${sep}le="+Inf"} ${h.count}`);
        lines.push(`${name}_sum${id ? `{${id}}` : ''} ${h.sum}`, `${name}_count${id ? `{${id}}` : ''} ${h.count}`);
      }
    }
    for (const gauge of extra) {
      lines.push(`# HELP ${gauge.name} ${gauge.help}`, `# TYPE ${gauge.name} gauge`, `${gauge.name} ${gauge.value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

function labelText(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((key) => `${key}="${String(labels[key]).replace(/["\\\n]/g, '\\$&')}"`)
    .join(',');
}
