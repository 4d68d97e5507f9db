import { randomUUID } from 'node:crypto';

/**
 * A mixed agent workload against a running Remembr over real HTTP: sessions, appends, reads, task results.
 * It keeps a ledger of every write the service acknowledged (2xx) and every write that answered an error, so a
 * test can check afterwards that nothing acknowledged was lost and nothing that failed was half-applied.
 */
export interface WorkloadOptions {
  baseUrl: string;
  /** API keys to spread the clients over (one tenant per key). */
  apiKeys: string[];
  connections: number;
  /** Stop after this many milliseconds. */
  durationMs: number;
  /** Give up on a single request after this long (the client-side bound; the server should answer well before). */
  requestTimeoutMs?: number;
  /**
   * Send every write with an Idempotency-Key and, while its answer says nothing definite (503, 504, or no answer),
   * send it again with the same key, as a careful client does: each logical write then has one outcome. Retries go
   * on past `durationMs` for at most `retryForMs`; a write still undecided then is counted as failed.
   * @default false
   */
  idempotentRetries?: boolean;
  /** @default 15000 */
  retryForMs?: number;
}

export interface RequestRecord {
  op: string;
  status: number;
  ms: number;
  /** When the request was sent, ms since the workload began. */
  at: number;
  /** A write sent again with the same Idempotency-Key (idempotentRetries). */
  retry?: boolean;
}

export interface Ledger {
  /** Sessions whose creation was acknowledged, by API key. */
  sessions: Array<{ key: string; sessionId: string }>;
  /** Appends acknowledged with 201: the message id and the marker in its content. */
  appended: Array<{ key: string; sessionId: string; messageId: string; marker: string }>;
  /** Appends that answered an error (or no answer): their marker must appear at most once, whole. */
  failedAppends: Array<{ key: string; sessionId: string; marker: string }>;
  /** Task results stored with 201 and never taken: they must still be there. */
  results: Map<string, { key: string; taskId: string; value: unknown }>;
}

export interface WorkloadReport {
  requests: RequestRecord[];
  ledger: Ledger;
  /** Requests that got no HTTP answer at all (connection reset, client timeout). */
  transportErrors: number;
  /** With idempotentRetries: logical writes that still had no definite answer when the retries gave up. */
  undecidedWrites: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runWorkload(options: WorkloadOptions): Promise<WorkloadReport> {
  const started = Date.now();
  const deadline = started + options.durationMs;
  const ledger: Ledger = { sessions: [], appended: [], failedAppends: [], results: new Map() };
  const requests: RequestRecord[] = [];
  let transportErrors = 0;
  let undecidedWrites = 0;

  const send = async (op: string, key: string, method: string, path: string, body?: unknown, idempotencyKey?: string, retry?: boolean) => {
    const sent = Date.now();
    try {
      const res = await fetch(`${options.baseUrl}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.requestTimeoutMs ?? 10_000),
      });
      const text = await res.text();
      requests.push({ op, status: res.status, ms: Date.now() - sent, at: sent - started, ...(retry ? { retry } : {}) });
      return { status: res.status, json: text ? (JSON.parse(text) as Record<string, any>) : {} };
    } catch {
      transportErrors++;
      requests.push({ op, status: 0, ms: Date.now() - sent, at: sent - started, ...(retry ? { retry } : {}) });
      return { status: 0, json: {} as Record<string, any> };
    }
  };
  const retryUntil = deadline + (options.retryForMs ?? 15_000);
  /** A read once; a write once, or with idempotentRetries until a definite answer (see the option). */
  const call = async (op: string, key: string, method: string, path: string, body?: unknown) => {
    if (method === 'GET' || !options.idempotentRetries) return send(op, key, method, path, body);
    const idempotencyKey = randomUUID();
    for (let attempt = 0; ; attempt++) {
      const res = await send(op, key, method, path, body, idempotencyKey, attempt > 0);
      if (!UNDECIDED.has(res.status)) return res;
      if (Date.now() > retryUntil) {
        undecidedWrites++;
        return res;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  const client = async (index: number) => {
    const key = options.apiKeys[index % options.apiKeys.length]!;
    let sessionId: string | undefined;
    let step = 0;
    while (Date.now() < deadline) {
      step++;
      if (sessionId === undefined || step % 40 === 0) {
        const created = await call('create_session', key, 'POST', '/sessions', { agent_id: `agent-${index}` });
        if (created.status === 201) {
          sessionId = created.json.session_id as string;
          ledger.sessions.push({ key, sessionId });
        }
        continue;
      }
      switch (step % 5) {
        case 0:
        case 1: {
          const marker = randomUUID();
          const res = await call('append', key, 'POST', `/sessions/${sessionId}/messages`, { role: step % 2 ? 'user' : 'assistant', content: `note ${marker}` });
          if (res.status === 201) ledger.appended.push({ key, sessionId, messageId: res.json.message.id as string, marker });
          else ledger.failedAppends.push({ key, sessionId, marker });
          break;
        }
        case 2:
          await call('read_messages', key, 'GET', `/sessions/${sessionId}/messages`);
          break;
        case 3: {
          const taskId = `task-${index}-${step}`;
          const value = { step, items: [index, step], ok: true };
          const res = await call('put_result', key, 'PUT', `/tasks/${taskId}/result`, { result: value });
          if (res.status !== 201) break;
          // Half the results are kept (the ledger checks them later), half are claimed at once.
          if (step % 2 === 0) ledger.results.set(`${key}/${taskId}`, { key, taskId, value });
          else await call('take_result', key, 'DELETE', `/tasks/${taskId}/result`);
          break;
        }
        default:
          await call('get_session', key, 'GET', `/sessions/${sessionId}`);
      }
    }
  };

  await Promise.all(Array.from({ length: options.connections }, (_, i) => client(i)));
  return { requests, ledger, transportErrors, undecidedWrites };
}

/** Answers that say nothing definite about a write: retry it with the same Idempotency-Key. */
const UNDECIDED = new Set([0, 503, 504]);

/** Latency and outcome figures of a run. */
export function summarize(requests: RequestRecord[], durationMs: number) {
  const latencies = requests.map((r) => r.ms).sort((a, b) => a - b);
  const byStatus: Record<string, number> = {};
  for (const r of requests) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return {
    requests: requests.length,
    throughputPerSecond: Math.round((requests.length / durationMs) * 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? 0,
    byStatus,
  };
}

/**
 * Resolves once a write through the service is acknowledged again (after a failover, and with durable
 * acknowledgements once a replica confirms); how long that took. Reading a session back refreshes its TTL, which
 * is a write too, so checkLedger reads only after this.
 */
export async function untilWritable(baseUrl: string, apiKey: string, timeoutMs = 30_000): Promise<number> {
  const from = Date.now();
  for (;;) {
    const res = await fetch(`${baseUrl}/api/v1/tasks/probe/result`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ result: 1 }),
    }).catch(() => undefined);
    if (res?.status === 201) return Date.now() - from;
    if (Date.now() - from > timeoutMs) throw new Error(`no write was acknowledged within ${timeoutMs} ms (last answer ${res?.status ?? 'none'})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Reads back every write the ledger says was acknowledged: `lost` counts those missing, `halfWritten` failed
 * appends found more than once and windows whose token total does not add up.
 */
export async function checkLedger(baseUrl: string, ledger: Ledger): Promise<{ checked: number; lost: number; halfWritten: number }> {
  const get = async (key: string, path: string) => {
    const res = await fetch(`${baseUrl}/api/v1${path}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };
  let checked = 0;
  let lost = 0;
  for (const { key, sessionId } of ledger.sessions) {
    const res = await get(key, `/sessions/${sessionId}`);
    checked++;
    if (res.status !== 200) lost++;
  }
  const bySession = new Map<string, { key: string; ids: Set<string>; failedMarkers: string[] }>();
  for (const a of ledger.appended) {
    const entry = bySession.get(a.sessionId) ?? { key: a.key, ids: new Set(), failedMarkers: [] };
    entry.ids.add(a.messageId);
    bySession.set(a.sessionId, entry);
  }
  for (const f of ledger.failedAppends) {
    const entry = bySession.get(f.sessionId) ?? { key: f.key, ids: new Set(), failedMarkers: [] };
    entry.failedMarkers.push(f.marker);
    bySession.set(f.sessionId, entry);
  }
  let halfWritten = 0;
  for (const [sessionId, entry] of bySession) {
    const res = await get(entry.key, `/sessions/${sessionId}/messages`);
    if (res.status !== 200) {
      lost += entry.ids.size;
      continue;
    }
    const messages = res.json.messages as Array<{ id: string; content: string; tokens: number }>;
    const present = new Set(messages.map((m) => m.id));
    for (const id of entry.ids) {
      checked++;
      if (!present.has(id)) lost++;
    }
    // A failed append either never happened or happened whole, once; the token total always adds up.
    for (const marker of entry.failedMarkers) {
      if (messages.filter((m) => m.content === `note ${marker}`).length > 1) halfWritten++;
    }
    const total = messages.reduce((sum, m) => sum + m.tokens, 0);
    if (total !== res.json.token_usage.used) halfWritten++;
  }
  for (const { key, taskId, value } of ledger.results.values()) {
    const res = await get(key, `/tasks/${taskId}/result`);
    checked++;
    if (res.status !== 200 || JSON.stringify(res.json.result) !== JSON.stringify(value)) lost++;
  }
  return { checked, lost, halfWritten };
}
