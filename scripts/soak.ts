/**
 * Soak: the mixed agent workload through the real service on a Redis of its own, at a steady concurrency, watching
 * throughput, latency and the service's memory. `npm run soak` runs 60 s at 50 connections;
 * `npm run soak -- --seconds 10` is the reduced form CI runs (test/load/soak.test.ts).
 */
import { pathToFileURL } from 'node:url';
import { startRedisServer } from '../test/support/redis-server.js';
import { startService } from '../test/support/service.js';
import { runWorkload, summarize } from '../test/support/workload.js';

export interface SoakResult {
  seconds: number;
  connections: number;
  requests: number;
  throughputPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  byStatus: Record<string, number>;
  transportErrors: number;
  /** Service RSS in MiB, sampled once a second. */
  rssMiB: number[];
  rssStartMiB: number;
  rssEndMiB: number;
}

const KEYS = ['alice-soak-key-0000000000000001', 'bob-soak-key-00000000000000002'];

async function rssMiB(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const bytes = Number(/^remembr_process_rss_bytes (\d+)/m.exec(text)?.[1] ?? 0);
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

export interface SoakOptions {
  seconds: number;
  connections: number;
  /** The service's REDIS_COMMAND_TIMEOUT_MS. @default 1000, the service's own default */
  commandTimeoutMs?: number;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const redis = await startRedisServer();
  const service = await startService({
    REDIS_URL: redis.url,
    REMEMBR_API_KEYS: `alice:${KEYS[0]},bob:${KEYS[1]}`,
    RATE_LIMIT_PER_MINUTE: '1000000',
    REDIS_COMMAND_TIMEOUT_MS: String(options.commandTimeoutMs ?? 1000),
    LOG_LEVEL: 'warn',
  });
  try {
    const samples: number[] = [await rssMiB(service.baseUrl)];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        if (sampling) samples.push(await rssMiB(service.baseUrl));
      }
    })();
    const durationMs = options.seconds * 1000;
    const report = await runWorkload({ baseUrl: service.baseUrl, apiKeys: KEYS, connections: options.connections, durationMs });
    sampling = false;
    await sampler;
    samples.push(await rssMiB(service.baseUrl));
    return {
      seconds: options.seconds,
      connections: options.connections,
      ...summarize(report.requests, durationMs),
      transportErrors: report.transportErrors,
      rssMiB: samples,
      // After a few seconds of warm-up (JIT, pools, buffers), and at the end.
      rssStartMiB: samples[Math.min(3, samples.length - 1)]!,
      rssEndMiB: samples.at(-1)!,
    };
  } finally {
    await service.stop();
    await redis.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const result = await runSoak({ seconds: arg('seconds', 60), connections: arg('connections', 50) });
  console.log(JSON.stringify(result));
}
