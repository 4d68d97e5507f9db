import type { Remembr } from '../../index.js';
import { CounterFamily, HistogramFamily, STORE_LATENCY_BUCKETS } from '../../observability/metrics.js';

/** What the dashboard page polls: totals since start, which the page differences into rates. */
export interface DashboardData {
  /** Epoch ms. */
  at: number;
  version: string;
  store: 'redis' | 'memory';
  up: boolean;
  connections: { open: number; max: number };
  /** Redis used_memory and maxmemory summed over the nodes (0: no limit); the memory store's approximate size. */
  memory: { usedBytes: number; maxBytes: number };
  /** Redis's own instantaneous_ops_per_sec, summed over the nodes (absent on the memory store). */
  redisOpsPerSecond?: number;
  totals: {
    storeCommands: number;
    cacheHits: number;
    cacheMisses: number;
    cacheErrors: number;
    storeFailures: number;
    rateLimitRefused: number;
    rateLimitFailed: number;
    windowEvictions: number;
    httpRequests: number;
    httpServerErrors: number;
  };
  /** Store command latency: bucket bounds (seconds) and observations per bucket since start (the last above them). */
  latency: { buckets: number[]; counts: number[] };
}

export function dashboardData(remembr: Remembr, version: string): DashboardData {
  const { metrics, monitor } = remembr;
  const counter = (name: string) => {
    const family = metrics.family(name);
    return family instanceof CounterFamily ? family : undefined;
  };
  const total = (name: string, match: Record<string, string> = {}) => counter(name)?.total(match) ?? 0;
  const latency = metrics.family('remembr_store_command_duration_seconds');
  const counts = latency instanceof HistogramFamily ? latency.counts() : new Array<number>(STORE_LATENCY_BUCKETS.length + 1).fill(0);
  const sample = monitor.latest;
  const nodes = sample?.nodes ?? [];
  const sum = (pick: (node: (typeof nodes)[number]) => number | undefined) => nodes.reduce((acc, node) => acc + (pick(node) ?? 0), 0);
  const http = counter('remembr_http_requests_total');
  return {
    at: Date.now(),
    version,
    store: remembr.store.kind,
    up: sample?.up ?? false,
    connections: { open: sample?.connectionsOpen ?? 0, max: sample?.connectionsMax ?? 0 },
    memory: sample?.memory
      ? { usedBytes: sample.memory.approximateBytes, maxBytes: 0 }
      : { usedBytes: sum((n) => n.usedMemoryBytes), maxBytes: sum((n) => n.maxMemoryBytes) },
    ...(remembr.store.kind === 'redis' ? { redisOpsPerSecond: sum((n) => n.opsPerSecond) } : {}),
    totals: {
      storeCommands: counts.reduce((a, b) => a + b, 0),
      cacheHits: total('remembr_cache_operations_total', { outcome: 'hit' }),
      cacheMisses: total('remembr_cache_operations_total', { outcome: 'miss' }),
      cacheErrors: total('remembr_cache_operations_total', { outcome: 'error' }),
      storeFailures: total('remembr_store_failures_total'),
      rateLimitRefused: total('remembr_rate_limit_decisions_total', { outcome: 'refused' }),
      rateLimitFailed: total('remembr_rate_limit_decisions_total', { outcome: 'failed_open' }) + total('remembr_rate_limit_decisions_total', { outcome: 'failed_closed' }),
      windowEvictions: total('remembr_memory_evicted_messages_total'),
      httpRequests: http?.total() ?? 0,
      httpServerErrors: http?.sumWhere((labels) => labels.status?.startsWith('5') === true) ?? 0,
    },
    latency: { buckets: [...STORE_LATENCY_BUCKETS], counts },
  };
}
