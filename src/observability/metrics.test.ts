import { describe, expect, it } from 'vitest';
import { Metrics, quantile } from './metrics.js';

describe('Metrics', () => {
  it('counts one series per label set, whatever order the labels are given in, in its own registry', async () => {
    const metrics = new Metrics();
    const other = new Metrics();
    metrics.increment('ops_total', { operation: 'get', outcome: 'hit' }, 1, 'Operations');
    metrics.increment('ops_total', { outcome: 'hit', operation: 'get' });
    metrics.increment('ops_total', { operation: 'get', outcome: 'miss' });
    other.increment('ops_total', { operation: 'get', outcome: 'hit' }, 7, 'Operations');
    expect(metrics.value('ops_total', { operation: 'get', outcome: 'hit' })).toBe(2);
    expect(metrics.value('ops_total', { outcome: 'miss', operation: 'get' })).toBe(1);
    expect(metrics.value('ops_total', { operation: 'get' })).toBe(3);
    const text = await metrics.exposition();
    expect(text).toContain('# TYPE ops_total counter');
    expect(text).toContain('ops_total{operation="get",outcome="hit"} 2');
    expect(await other.exposition()).toContain('ops_total{operation="get",outcome="hit"} 7');
  });

  it('hands out handles that count without a label lookup, and refuses a second declaration with other labels', () => {
    const metrics = new Metrics();
    const family = metrics.counterFamily('c_total', 'C', ['a', 'b']);
    const handle = family.labels('1', '2');
    handle.inc();
    handle.inc(4);
    expect(family.value({ a: '1', b: '2' })).toBe(5);
    expect(metrics.counterFamily('c_total', 'C', ['a', 'b'])).toBe(family);
    expect(() => metrics.counterFamily('c_total', 'C', ['a'])).toThrow(/already declared/);
  });

  // Regression: label sets are remembered by their parts joined together; the join must not let two sets meet.
  it('keeps label sets apart whose values run together the same way', () => {
    const metrics = new Metrics();
    const family = metrics.counterFamily('x_total', 'X', ['a', 'b']);
    family.labels('1:b', 'c').inc();
    family.labels('1', 'b:c').inc();
    expect(family.size).toBe(2);
    expect(family.value({ a: '1:b', b: 'c' })).toBe(1);
  });

  it('escapes quotes, backslashes and newlines in label values as the exposition format wants', async () => {
    const metrics = new Metrics();
    metrics.increment('x_total', { route: 'a"b\\c\nd' });
    expect(await metrics.exposition()).toContain('x_total{route="a\\"b\\\\c\\nd"} 1');
  });

  it('folds label sets past the bound into one series instead of growing without end', () => {
    const metrics = new Metrics();
    const family = metrics.counterFamily('ids_total', 'Ids', ['id']);
    for (let i = 0; i < 2000; i++) family.labels(`id-${i}`).inc();
    expect(family.size).toBeLessThanOrEqual(501);
    expect(family.total()).toBe(2000);
    expect(family.value({ id: 'other' })).toBe(1500);
  });

  it('renders a histogram cumulatively, with +Inf, sum and count, in seconds', async () => {
    const metrics = new Metrics();
    const latency = metrics.histogramFamily('latency_seconds', 'Latency', ['route'], [0.002, 0.005, 5]).labels('/r');
    latency.observe(0.003);
    latency.observe(0.005);
    latency.observe(7);
    const text = await metrics.exposition();
    expect(text).toContain('# TYPE latency_seconds histogram');
    expect(text).toContain('latency_seconds_bucket{route="/r",le="0.002"} 0');
    expect(text).toContain('latency_seconds_bucket{route="/r",le="0.005"} 2');
    expect(text).toContain('latency_seconds_bucket{route="/r",le="5"} 2');
    expect(text).toContain('latency_seconds_bucket{route="/r",le="+Inf"} 3');
    expect(text).toContain('latency_seconds_sum{route="/r"} 7.008');
    expect(text).toContain('latency_seconds_count{route="/r"} 3');
  });

  it('estimates quantiles from bucket counts the way histogram_quantile does', () => {
    const buckets = [1, 2, 4];
    expect(quantile(buckets, [0, 0, 0, 0], 0.5)).toBeUndefined();
    expect(quantile(buckets, [10, 0, 0, 0], 0.5)).toBe(0.5);
    expect(quantile(buckets, [0, 10, 0, 0], 0.5)).toBe(1.5);
    expect(quantile(buckets, [50, 49, 0, 1], 0.99)).toBe(2);
    expect(quantile(buckets, [0, 0, 0, 5], 0.5)).toBe(4);
  });

  it('adds the Node process defaults, prefixed remembr_', async () => {
    const metrics = new Metrics();
    metrics.collectProcessMetrics();
    const text = await metrics.exposition();
    expect(text).toContain('remembr_process_resident_memory_bytes');
    expect(text).toContain('remembr_nodejs_eventloop_lag_seconds');
  });
});
