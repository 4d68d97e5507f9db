import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startService, type ServiceProcess } from '../support/service.js';
import { WORKLOAD_KEYS, workloadServiceEnv } from './workload-service.js';
import { watchLoopStalls } from './loop-stalls.js';
import { newFigures, retryingClient } from './retrying-client.js';

/**
 * Exactly once across a crash: Redis is SIGKILLed under 20 concurrent clients of the real service (its own
 * process) and restarted on the same AOF, and every client retries each logical write with its Idempotency-Key
 * until a definite answer. The AOF is fsynced on every write (`appendfsync always`): Redis answers a write only once
 * it is on disk, so whatever it acknowledged survives the kill, of the process or of the machine. With `everysec` a
 * killed process loses nothing either (Redis writes the AOF before replying; measured: 0 lost), but a machine crash
 * can lose up to a second of acknowledged writes by design, and nothing above Redis can tell: this file asserts on
 * `always` only.
 *
 * An idempotency record is written by the same script as its write, so the AOF holds both or neither: a retry after
 * the restart finds the record of a write that landed before the kill, and replays its answer instead of applying
 * it again.
 */
const KEYS = WORKLOAD_KEYS;
const COMMAND_TIMEOUT_MS = 500;
const CLIENTS = 20;
/**
 * Beyond the bound an answer may take the time the loops of this process and of the service were held, plus this:
 * two processes and a TCP round trip on a loaded two-core machine.
 */
const MARGIN_MS = 250;

/** p50, p99 and max answer time of some attempts, as `p50<suffix>Ms`… fields. */
function latency(suffix: string, attempts: Array<{ ms: number }>): Record<string, number> {
  const sorted = attempts.map((a) => a.ms).sort((x, y) => x - y);
  const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
  return { [`p50${suffix}Ms`]: at(0.5), [`p99${suffix}Ms`]: at(0.99), [`max${suffix}Ms`]: Math.round(sorted.at(-1) ?? 0) };
}

describe('exactly once across kill -9 and restart of Redis on its AOF (appendfsync always)', () => {
  let redis: RedisServer;
  let service: ServiceProcess;

  beforeAll(async () => {
    redis = await startRedisServer({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
    service = await startService(workloadServiceEnv({ REDIS_URL: redis.url }, COMMAND_TIMEOUT_MS));
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    await redis?.stop();
  });

  const killAndRestart = async (downMs: number) => {
    await redis.kill();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await redis.start();
  };

  const healthy = async () => {
    const res = await fetch(`${service.baseUrl}/api/v1/health`).catch(() => undefined);
    return res?.ok ? ((await res.json()) as { redis_status: string }).redis_status : 'no answer';
  };

  /** The service's longest event-loop hold since the last scrape (prom-client resets it on every collect), in ms. */
  const serviceLoopLagMs = async () => {
    const text = await (await fetch(`${service.baseUrl}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('remembr_nodejs_eventloop_lag_max_seconds'));
    return line === undefined ? 0 : Number(line.split(' ').at(-1)) * 1000;
  };

  it('replays after the restart a write and a claim acknowledged before the kill, instead of applying them again', async () => {
    const figures = newFigures();
    const definitely = retryingClient(service.baseUrl, figures);
    const [alice] = KEYS as [string];
    const session = await definitely(alice, 'POST', '/sessions', { agent_id: 'before-the-kill' });
    expect(session.status).toBe(201);
    const sessionId = session.json.session_id as string;
    const appendKey = randomUUID();
    const message = { role: 'user', content: `written once ${appendKey}` };
    const appended = await definitely(alice, 'POST', `/sessions/${sessionId}/messages`, message, appendKey);
    expect(appended.status).toBe(201);
    expect((await definitely(alice, 'PUT', '/tasks/survivor/result', { result: { rows: 7 } })).status).toBe(201);
    const claimKey = randomUUID();
    const claimed = await definitely(alice, 'DELETE', '/tasks/survivor/result', undefined, claimKey);
    expect(claimed).toMatchObject({ status: 200, json: { result: { rows: 7 } } });

    await killAndRestart(500);
    await expect.poll(healthy, { timeout: 20_000, interval: 100 }).toBe('healthy');

    // The same key after the restart: the first answer, the message once, the result to the same claimer only.
    const replayed = await definitely(alice, 'POST', `/sessions/${sessionId}/messages`, message, appendKey);
    expect({ status: replayed.status, json: replayed.json }).toEqual({ status: appended.status, json: appended.json });
    const window = await definitely(alice, 'GET', `/sessions/${sessionId}/messages`);
    expect(window.json.messages.filter((m: { content: string }) => m.content === message.content)).toHaveLength(1);
    const reclaimed = await definitely(alice, 'DELETE', '/tasks/survivor/result', undefined, claimKey);
    expect({ status: reclaimed.status, json: reclaimed.json }).toEqual({ status: claimed.status, json: claimed.json });
    expect((await definitely(alice, 'DELETE', '/tasks/survivor/result')).status).toBe(404);
  }, 60_000);

  it('under 20 retrying clients: every append once, every result to one claimer, nothing lost, no 500, every answer within the bound', async () => {
    const figures = newFigures();
    const definitely = retryingClient(service.baseUrl, figures);
    const stalls = watchLoopStalls();
    let running = true;
    // The service's longest loop hold in each stretch between two scrapes, to allow an answer in that stretch.
    const serviceHolds: Array<{ from: number; to: number; ms: number }> = [];
    let scrapedAt = performance.now();
    await serviceLoopLagMs();
    const scraper = (async () => {
      while (running) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        const ms = await serviceLoopLagMs();
        const now = performance.now();
        serviceHolds.push({ from: scrapedAt, to: now, ms });
        scrapedAt = now;
      }
    })();
    const serviceHeldMs = (from: number, to: number) => serviceHolds.filter((h) => h.to > from && h.from < to).reduce((sum, h) => sum + h.ms, 0);
    const began = performance.now();
    let killedAt = Infinity;
    let restartedAt = Infinity;

    const appended: Array<{ apiKey: string; sessionId: string; marker: string; messageId: string; createdAt: string; at: number; firstSent: number }> = [];
    const kept: Array<{ apiKey: string; taskId: string; value: unknown }> = [];
    const claims: Array<{ apiKey: string; taskId: string; value: unknown; received: unknown[] }> = [];
    const unexpected: Array<{ what: string; status: number }> = [];

    const client = async (i: number) => {
      const apiKey = KEYS[i % KEYS.length]!;
      const created = await definitely(apiKey, 'POST', '/sessions', { agent_id: `crash-${i}` });
      if (created.status !== 201) unexpected.push({ what: 'create session', status: created.status });
      const sessionId = created.json.session_id as string;
      for (let n = 0; running; n++) {
        const marker = `c${i}-n${n}-${randomUUID()}`;
        const res = await definitely(apiKey, 'POST', `/sessions/${sessionId}/messages`, { role: 'user', content: marker });
        if (res.status !== 201) {
          unexpected.push({ what: 'append', status: res.status });
          continue;
        }
        appended.push({ apiKey, sessionId, marker, messageId: res.json.message.id, createdAt: res.json.message.created_at, at: res.at, firstSent: res.firstSent });
        if (n % 3 !== 2) continue;
        const taskId = `crash-${i}-${n}`;
        const value = { i, n, marker };
        const put = await definitely(apiKey, 'PUT', `/tasks/${taskId}/result`, { result: value });
        if (put.status !== 201) {
          unexpected.push({ what: 'put result', status: put.status });
          continue;
        }
        if (n % 2 === 0) {
          kept.push({ apiKey, taskId, value });
          continue;
        }
        // Two claimers race for it, each claim a logical request of its own with its own key.
        const answers = await Promise.all([0, 1].map(() => definitely(apiKey, 'DELETE', `/tasks/${taskId}/result`)));
        for (const a of answers) if (a.status !== 200 && a.status !== 404) unexpected.push({ what: 'claim', status: a.status });
        claims.push({ apiKey, taskId, value, received: answers.filter((a) => a.status === 200).map((a) => a.json.result) });
      }
    };
    const chaos = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 2500));
      killedAt = performance.now();
      await killAndRestart(3000);
      restartedAt = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      running = false;
    })();
    await Promise.all([chaos, ...Array.from({ length: CLIENTS }, (_, i) => client(i))]);
    await scraper;
    stalls.stop();

    // Every logical append is in its window exactly once, under the id its answer gave.
    let duplicates = 0;
    let lost = 0;
    const bySession = new Map<string, { apiKey: string; entries: typeof appended }>();
    for (const a of appended) {
      const entry = bySession.get(a.sessionId) ?? { apiKey: a.apiKey, entries: [] };
      entry.entries.push(a);
      bySession.set(a.sessionId, entry);
    }
    for (const [sessionId, { apiKey, entries }] of bySession) {
      const window = await definitely(apiKey, 'GET', `/sessions/${sessionId}/messages`);
      const messages = window.json.messages as Array<{ id: string; content: string }>;
      for (const { marker, messageId } of entries) {
        const found = messages.filter((m) => m.content === marker);
        if (found.length === 0 || !found.some((m) => m.id === messageId)) lost++;
        duplicates += Math.max(0, found.length - 1);
      }
    }
    // Every claimed result went to exactly one of its two claimers, whole; every kept result is still there.
    const resultsDuplicated = claims.filter((c) => c.received.length > 1).length;
    let resultsLost = claims.filter((c) => c.received.length === 0 || JSON.stringify(c.received[0]) !== JSON.stringify(c.value)).length;
    for (const { apiKey, taskId, value } of kept) {
      const res = await definitely(apiKey, 'GET', `/tasks/${taskId}/result`);
      if (res.status !== 200 || JSON.stringify(res.json.result) !== JSON.stringify(value)) resultsLost++;
    }

    // Writes first tried before the kill and answered after the restart: their message's time says whether the
    // answer replays a write that landed before the kill (and survived on the AOF) or the retry applied it.
    const acrossRestart = appended.filter((a) => a.firstSent < killedAt && a.at > restartedAt);
    const killedAtWall = Date.now() - (performance.now() - killedAt);
    const replayedAcrossRestart = acrossRestart.filter((a) => Date.parse(a.createdAt) < killedAtWall).length;

    const timed = figures.attempts.map((a) => {
      const held = stalls.heldMs(a.sent, a.sent + a.ms) + serviceHeldMs(a.sent, a.sent + a.ms);
      return { ...a, unexplainedMs: a.ms - COMMAND_TIMEOUT_MS - held };
    });
    const worst = timed.reduce((w, a) => (a.unexplainedMs > w.unexplainedMs ? a : w), timed[0]!);
    const byStatus: Record<string, number> = {};
    for (const a of figures.attempts) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
    const during = figures.attempts.filter((a) => a.sent >= killedAt && a.sent < restartedAt);
    console.log(
      JSON.stringify({
        case: 'kill-restart exactly-once (appendfsync always)',
        boundMs: COMMAND_TIMEOUT_MS,
        clients: CLIENTS,
        durationMs: Math.round(performance.now() - began),
        requests: figures.requests,
        requestsWhileDown: during.length,
        logicalAppends: appended.length,
        results: claims.length + kept.length,
        claims: claims.length * 2,
        byStatus,
        unknownOutcomes: figures.unknownOutcomes,
        notApplied: figures.notApplied,
        transportErrors: figures.transportErrors,
        retries: figures.retries,
        appendsRetriedAcrossRestart: acrossRestart.length,
        replayedAcrossRestart,
        ...latency('', figures.attempts),
        ...latency('WhileDown', during),
        maxLoopHoldMs: Math.round(stalls.maxHoldMs()), maxLoopHoldOwnCpuMs: Math.round(stalls.maxHoldCpuMs()),
        serviceLoopHoldMaxMs: Math.round(Math.max(0, ...serviceHolds.map((h) => h.ms))),
        worst: { what: worst.what, status: worst.status, ms: Math.round(worst.ms), unexplainedMs: Math.round(worst.unexplainedMs) },
        duplicates,
        lost,
        resultsDuplicated,
        resultsLost,
      }),
    );
    expect(unexpected).toEqual([]);
    expect(figures.attempts.filter((a) => a.status >= 500 && a.status !== 503 && a.status !== 504)).toEqual([]);
    expect(during.length).toBeGreaterThan(0);
    expect(figures.retries).toBeGreaterThan(0);
    expect(appended.filter((a) => a.at > restartedAt).length).toBeGreaterThan(0);
    expect(duplicates).toBe(0);
    expect(lost).toBe(0);
    expect(resultsDuplicated).toBe(0);
    expect(resultsLost).toBe(0);
    for (const a of timed) expect(a.unexplainedMs, `${a.what} ${a.status}: ${Math.round(a.ms)} ms`).toBeLessThan(MARGIN_MS);
  }, 90_000);
});
