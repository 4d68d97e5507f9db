/**
 * Counters and latency summaries kept in process and rendered in the Prometheus text format. Small on purpose:
 * the numbers the guide asks to watch (hit rate, failures, latency) and the decisions Remembr makes when the store
 * is down, which would otherwise be invisible.
 */
export type Labels = Record<string, string>;

const BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];
const MAX_REMEMBERED_LABEL_SETS = 10_000;

/** One counter series, bound once: `inc` is a field update, for hot paths that count every call. */
export interface Counter {
  inc(by?: number): void;
}

interface Cell {
  value: number;
}

interface Histogram {
  buckets: number[];
  sum: number;
  count: number;
}

export class Metrics {
  readonly #counters = new Map<string, Map<string, Cell>>();
  readonly #histograms = new Map<string, Map<string, Histogram>>();
  readonly #help = new Map<string, string>();

  /**
   * Label text by the labels as a caller passes them (keys in its order, each part length-prefixed so no two label
   * sets share a key), so the sorting and escaping of `labelText` run once per series instead of on every call of
   * a hot path.
   */
  readonly #labelIds = new Map<string, string>();

  /** Adds to a counter; the first call names its help text. */
  increment(name: string, labels: Labels = {}, by = 1, help?: string): void {
    this.#cell(name, labels, help).value += by;
  }

  /** A handle on one counter series, for a path that counts on every call (no label lookup per count). */
  counter(name: string, labels: Labels = {}, help?: string): Counter {
    const cell = this.#cell(name, labels, help);
    return {
      inc: (by = 1) => {
        cell.value += by;
      },
    };
  }

  #cell(name: string, labels: Labels, help?: string): Cell {
    if (help && !this.#help.has(name)) this.#help.set(name, help);
    let series = this.#counters.get(name);
    if (!series) this.#counters.set(name, (series = new Map<string, Cell>()));
    const id = this.#labelId(labels);
    let cell = series.get(id);
    if (!cell) series.set(id, (cell = { value: 0 }));
    return cell;
  }

  /** Records one duration in milliseconds. */
  observe(name: string, labels: Labels, ms: number, help?: string): void {
    if (help && !this.#help.has(name)) this.#help.set(name, help);
    let series = this.#histograms.get(name);
    if (!series) this.#histograms.set(name, (series = new Map<string, Histogram>()));
    const id = this.#labelId(labels);
    let h = series.get(id);
    if (!h) series.set(id, (h = { buckets: BUCKETS_MS.map(() => 0), sum: 0, count: 0 }));
    h.sum += ms;
    h.count++;
    for (let i = BUCKETS_MS.length - 1; i >= 0 && ms <= BUCKETS_MS[i]!; i--) h.buckets[i]!++;
  }

  #labelId(labels: Labels): string {
    let given = '';
    for (const key of Object.keys(labels)) {
      const value = String(labels[key]);
      given += `${key.length}:${key}${value.length}:${value}`;
    }
    let id = this.#labelIds.get(given);
    if (id === undefined) {
      id = labelText(labels);
      // Label values come from a small set by design; the bound only keeps a mistake from growing memory for good.
      if (this.#labelIds.size >= MAX_REMEMBERED_LABEL_SETS) this.#labelIds.clear();
      this.#labelIds.set(given, id);
    }
    return id;
  }

  /** The current value of a counter series (0 when never counted). */
  value(name: string, labels: Labels = {}): number {
    return this.#counters.get(name)?.get(labelText(labels))?.value ?? 0;
  }

  /** Prometheus exposition text. */
  render(extra: Array<{ name: string; help: string; value: number }> = []): string {
    const lines: string[] = [];
    for (const [name, series] of this.#counters) {
      lines.push(`# HELP ${name} ${this.#help.get(name) ?? name}`, `# TYPE ${name} counter`);
      for (const [id, cell] of series) lines.push(`${name}${id ? `{${id}}` : ''} ${cell.value}`);
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
    .map((key) => `${key}="${escapeLabelValue(String(labels[key]))}"`)
    .join(',');
}

/** The exposition format's escapes: a backslash, a double quote and a line feed, as `\\`, `\"` and `\n`. */
function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}
