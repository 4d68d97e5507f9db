import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisSentinelSet, type RedisSentinelSet } from '../support/redis-sentinel.js';
import type { RedisServer } from '../support/redis-server.js';
import { startService, type ServiceProcess } from '../support/service.js';
import { checkLedger, runWorkload, summarize, untilWritable, type WorkloadReport } from '../support/workload.js';
import { WORKLOAD_KEYS as KEYS, workloadServiceEnv } from './workload-service.js';

/**
 * The primary of a Sentinel set is SIGKILLed in the middle of a 20-client mixed workload through the real service
 * and never restarted: the Sentinels promote the replica and the service follows it. Run twice, with durable
 * acknowledgements off and on. Every answer must come within the bound (no 500, no hang); the figures (time to the
 * first write on the promoted replica, latency, writes lost) are printed for the notes. The clients send every write
 * with an Idempotency-Key and retry it with the same key until a definite answer (see runWorkload). With acknowledgements on no
 * acknowledged write may be lost; with them off the loss is only measured (asynchronous replication may lose some).
 * Longer runs: FAILOVER_LOAD_MS=30000 npx vitest run test/resilience/failover-load.test.ts
 */
const COMMAND_TIMEOUT_MS = 500;
const DURATION_MS = Number(process.env.FAILOVER_LOAD_MS ?? 8000);
const KILL_AT_MS = Math.min(2500, DURATION_MS / 3);

// With acknowledgements on, two replicas: after the failover the promoted one still has a replica to confirm writes
// (with one, every write after the failover would honestly answer OUTCOME_UNKNOWN until a replica is back).
describe.each([
  ['off', {}, 1],
  ['on', { REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '200' }, 2],
] as const)('Sentinel primary killed under load, durable acknowledgements %s', (mode, durableEnv, replicas) => {
  let set: RedisSentinelSet;
  let service: ServiceProcess;
  let victim: RedisServer;
  let report: WorkloadReport;
  let killedAt = 0;

  beforeAll(async () => {
    set = await startRedisSentinelSet({ replicas });
    service = await startService({
      ...workloadServiceEnv({ REDIS_SENTINELS: set.sentinelList, REDIS_SENTINEL_NAME: set.name }, COMMAND_TIMEOUT_MS),
      ...durableEnv,
    });
    victim = await set.primary();
    const began = Date.now();
    const chaos = (async () => {
      await new Promise((resolve) => setTimeout(resolve, KILL_AT_MS));
      await victim.kill();
      // Once the process is gone: a request sent from now on can only be served by a promoted replica.
      killedAt = Date.now() - began;
    })();
    report = await runWorkload({ baseUrl: service.baseUrl, apiKeys: KEYS, connections: 20, durationMs: DURATION_MS, idempotentRetries: true, retryForMs: 10_000 });
    await chaos;
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await set?.stop();
  });

  it('answers every request within the bound, with no 500, and writes again on the promoted replica', async () => {
    expect(await set.primary()).not.toBe(victim);
    const after = report.requests.filter((r) => r.at >= killedAt);
    const firstWrite = after.find((r) => ['append', 'put_result', 'create_session'].includes(r.op) && r.status === 201);
    const summary = summarize(report.requests, DURATION_MS);
    console.log(
      JSON.stringify({
        case: `sentinel-failover-durable-${mode}`,
        ...summary,
        retries: report.requests.filter((r) => r.retry).length,
        undecidedWrites: report.undecidedWrites,
        killedAtMs: killedAt,
        firstWriteAfterKillMs: firstWrite ? firstWrite.at + firstWrite.ms - killedAt : null,
        maxLatencyAfterKillMs: Math.max(...after.map((r) => r.ms)),
        transportErrors: report.transportErrors,
      }),
    );
    expect(report.transportErrors).toBe(0);
    expect(report.requests.filter((r) => r.status >= 500 && r.status !== 503 && r.status !== 504)).toEqual([]);
    // A request makes a few bounded store calls; nothing waits for the failover.
    expect(Math.max(...after.map((r) => r.ms))).toBeLessThan(COMMAND_TIMEOUT_MS * 6);
    // With acknowledgements on, writes answer OUTCOME_UNKNOWN until the Sentinels have re-pointed the other replica at
    // the promoted one; in a short run that may come after the run ends, so it is reported, not required.
    if (mode === 'off') expect(firstWrite).toBeDefined();
  });

  it(mode === 'on' ? 'lost no acknowledged write and half-applied nothing' : 'half-applied nothing (writes lost are measured)', { timeout: 60_000 }, async () => {
    const writableAgainAfterRunMs = await untilWritable(service.baseUrl, KEYS[0]!);
    const { checked, lost, halfWritten } = await checkLedger(service.baseUrl, report.ledger);
    console.log(JSON.stringify({ case: `sentinel-failover-durable-${mode}`, writableAgainAfterRunMs, acknowledgedWritesChecked: checked, lost, halfWritten }));
    // How many depends on the machine's load; enough to mean something.
    expect(checked).toBeGreaterThan(20);
    expect(halfWritten).toBe(0);
    if (mode === 'on') expect(lost).toBe(0);
  });
});
