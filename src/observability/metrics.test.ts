import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics.js';

describe('Metrics', () => {
  it('counts one series per label set, whatever order the labels are given in', () => {
    const metrics = new Metrics();
    metrics.increment('ops_total', { operation: 'get', outcome: 'hit' }, 1, 'Operations');
    metrics.increment('ops_total', { outcome: 'hit', operation: 'get' });
    metrics.increment('ops_total', { operation: 'get', outcome: 'miss' });
    expect(metrics.value('ops_total', { operation: 'get', outcome: 'hit' })).toBe(2);
    expect(metrics.value('ops_total', { outcome: 'miss', operation: 'get' })).toBe(1);
    expect(metrics.render()).toContain('ops_total{operation="get",outcome="hit"} 2');
  });

  // Regression: label sets are remembered by their parts joined together; the join must not let two sets meet.
  it('keeps label sets apart whose keys and values run together the same way', () => {
    const metrics = new Metrics();
    metrics.increment('x_total', { a: 'bc' });
    metrics.increment('x_total', { ab: 'c' });
    metrics.increment('x_total', { a: '1:b1:c' });
    metrics.increment('x_total', { a: '1', b: 'c' });
    expect(metrics.value('x_total', { a: 'bc' })).toBe(1);
    expect(metrics.value('x_total', { ab: 'c' })).toBe(1);
    expect(metrics.value('x_total', { a: '1:b1:c' })).toBe(1);
    expect(metrics.value('x_total', { a: '1', b: 'c' })).toBe(1);
  });

  // Regression: a newline in a label value was written as a backslash before a real line break, splitting the line.
  it('escapes quotes, backslashes and newlines in label values as the exposition format wants', () => {
    const metrics = new Metrics();
    metrics.increment('x_total', { route: 'a"b\\c\nd' });
    expect(metrics.render()).toContain('x_total{route="a\\"b\\\\c\\nd"} 1');
  });

  it('puts an observation in every bucket at or above it, and counts and sums them', () => {
    const metrics = new Metrics();
    metrics.observe('latency_ms', { route: '/r' }, 3, 'Latency');
    metrics.observe('latency_ms', { route: '/r' }, 5);
    metrics.observe('latency_ms', { route: '/r' }, 7000);
    const text = metrics.render();
    expect(text).toContain('latency_ms_bucket{route="/r",le="2"} 0');
    expect(text).toContain('latency_ms_bucket{route="/r",le="5"} 2');
    expect(text).toContain('latency_ms_bucket{route="/r",le="5000"} 2');
    expect(text).toContain('latency_ms_bucket{route="/r",le="+Inf"} 3');
    expect(text).toContain('latency_ms_sum{route="/r"} 7008');
    expect(text).toContain('latency_ms_count{route="/r"} 3');
    expect(text).toContain('# HELP latency_ms Latency');
  });
});
