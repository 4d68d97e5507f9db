import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import type { BenchCase, BenchContext } from '../context.js';
import { compare, formatRatio, formatValue, type CaseResult, type Contender, type Metric } from '../harness.js';

const CONNECTIONS = 64;
const CONTENT =
  'Here is what I found in the logs: the nightly job retried three times, then succeeded after the cache warmed. ' +
  'Next I will check whether the retries line up with the deploy window.';

const METRICS: Metric[] = [
  { key: 'requestsPerSecond', label: 'requests/s', better: 'higher', format: 'count' },
  { key: 'p99Ms', label: 'p99', better: 'lower', format: 'ms' },
  { key: 'p50Ms', label: 'p50', better: 'lower', format: 'ms' },
  { key: 'serverUsPerRequest', label: 'server µs CPU per request', better: 'lower', format: 'count' },
];

const us = (row: { medians: Record<string, number> }) => `${Math.round(row.medians.serverUsPerRequest!)} µs`;

interface Server {
  appAddress: string;
  bareAddress: string;
  sessionId: string;
  apiKey: string;
}

/**
 * Case 6: the real HTTP service (`buildApp` on Redis: auth, per-caller rate limit, schemas, error handling, the
 * session or memory component) beside a bare Fastify route doing one similar Redis command on the same node-redis
 * connections, both served by one child process and loaded by autocannon from this one. Every response must be a 2xx.
 */
export const httpCase: BenchCase = {
  id: 'http',
  title: 'HTTP: GET /api/v1/sessions/{id} and POST /api/v1/sessions/{id}/messages vs bare Fastify',
  async run(context: BenchContext): Promise<CaseResult[]> {
    const child = spawn(process.execPath, ['--import', 'tsx', new URL('../http-server.ts', import.meta.url).pathname, context.redisUrl], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    try {
      const lines = createInterface({ input: child.stdout! });
      let failWaiter: ((err: Error) => void) | undefined;
      child.once('exit', (code) => failWaiter?.(new Error(`the HTTP server exited with ${code}`)));
      const nextLine = () => new Promise<string>((resolve, reject) => {
        failWaiter = reject;
        lines.once('line', resolve);
      });
      const server = JSON.parse(await nextLine()) as Server;
      const serverCpuUs = async () => {
        const reply = nextLine();
        child.stdin!.write('cpu\n');
        return (JSON.parse(await reply) as { cpuUs: number }).cpuUs;
      };
      const durationSeconds = context.quick ? 0.5 : 1;
      const load = async (url: string, extra: { method?: string; headers?: Record<string, string>; body?: string } = {}) => {
        const cpuBefore = await serverCpuUs();
        const result = await autocannon({ url, connections: CONNECTIONS, duration: durationSeconds, ...extra });
        const serverUsPerRequest = ((await serverCpuUs()) - cpuBefore) / Math.max(1, result.requests.total);
        const ok = result.statusCodeStats['200']?.count ?? 0;
        if (result.errors > 0 || result.non2xx > 0) {
          throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx of ${result.requests.total} (${JSON.stringify(result.statusCodeStats)}), ${ok} ok`);
        }
        return { requestsPerSecond: result.requests.total / result.duration, p99Ms: result.latency.p99, p50Ms: result.latency.p50, serverUsPerRequest };
      };
      const auth = { authorization: `Bearer ${server.apiKey}` };
      const json = { 'content-type': 'application/json' };
      const body = JSON.stringify({ role: 'user', content: CONTENT });
      const id = server.sessionId;

      const table = async (op: 'get' | 'post', ours: Contender, bare: Contender, library: Contender): Promise<CaseResult> => {
        context.log(`http ${op}`);
        const rows = await compare({ contenders: [bare, library, ours], baseline: bare.name, metrics: METRICS, ratioMetric: 'requestsPerSecond', plan: context.plan, log: context.log });
        const row = rows[2]!;
        const route = op === 'get' ? 'GET /api/v1/sessions/{id}' : 'POST /api/v1/sessions/{id}/messages';
        return {
          id: `http-${op}`,
          title: `HTTP ${route} vs a bare Fastify route`,
          setup: `autocannon, ${CONNECTIONS} connections, ${durationSeconds} s per sample, from the benchmark process; both apps in one child ` +
            `process on one node-redis set of connections (Remembr's store, its default multiplexed connections). Remembr's app runs as in production: API key auth, the ` +
            `per-caller rate limit (one script per request; limit set out of reach), schemas, silent logger. ` +
            (op === 'get'
              ? 'The bare route does one GET of the same session key and returns the parsed JSON.'
              : 'The bare route JSON-encodes the message and does one RPUSH; Remembr counts tokens and runs the atomic append script (default 4,000-token budget, so the window evicts as it fills).') +
            ' The middle row makes the same library calls as the service from a bare route, without auth, schemas or hooks.' +
            ` ${context.plan.warmups} warm-up + ${context.plan.rounds} interleaved rounds.`,
          metrics: METRICS,
          ratioMetric: 'requestsPerSecond',
          baseline: bare.name,
          rows,
          targets: [
            op === 'get'
              ? { text: 'GET /sessions/{id} ≥ 0.75× the bare Fastify route', goal: 0.75 }
              : { text: 'POST /sessions/{id}/messages ≥ 0.5× the bare Fastify route', goal: 0.5 },
          ].map(({ text, goal }) => ({
            text,
            measured: `${formatRatio(row.ratio)} (p99 ${formatValue(row.medians.p99Ms!, { format: 'ms' })} vs ${formatValue(rows[0]!.medians.p99Ms!, { format: 'ms' })})`,
            met: row.ratio >= goal,
          })),
          notes: [
            `Server CPU per request: the bare route ${us(rows[0]!)}, the same library calls from a bare route ${us(rows[1]!)}, ` +
              `the service ${us(rows[2]!)}. The server process is CPU-bound here, so its throughput follows these. ` +
              (op === 'get'
                ? 'The rate-limit check rides on the session script (one composed script, one round trip: ' +
                  'src/rate-limit/charge.ts); it used to be a second round trip, another socket write and read, and socket writes are the ' +
                  'largest single item in the server\'s CPU profile, for all three rows alike. The HTTP stack adds the rest, spread thin ' +
                  'with no single hot spot: Fastify\'s own per-request work (its hooks, the parameter and query validation, the response ' +
                  'serializer), three more response headers (request id, RateLimit, RateLimit-Policy), and the one AsyncLocalStorage ' +
                  'scope per request (request id, deadline and charge share it), whose copy every promise of the request pays for.'
                : 'Of the library row\'s CPU over the bare route, ShortTermMemory\'s own work is about 4 µs per append (2 µs ' +
                  'of it counting this 179-character message\'s 38 tokens, measured separately with the store stubbed out); the ' +
                  'rest is the script call through the store and node-redis (a ten-argument command and its reply) with the ' +
                  'rate-limit charge composed into it. Redis shares the machine\'s cores with the server and the client, so its ' +
                  'CPU counts too: the append script makes nine Redis calls once the window and its buffer are full (session and state expiry, ' +
                  'state, push, one eviction move, the buffer\'s length and cap, its expiry), about 18 µs of Redis CPU against about 1.5 µs for ' +
                  'the bare route\'s one RPUSH.'),
          ],
        };
      };
      return [
        await table(
          'get',
          { name: 'Remembr GET /api/v1/sessions/{id}', sample: () => load(`${server.appAddress}/api/v1/sessions/${id}`, { headers: auth }) },
          { name: 'bare Fastify GET + one Redis GET (baseline)', sample: () => load(`${server.bareAddress}/sessions/${id}`) },
          { name: 'bare Fastify GET + the library calls (rate-limit charge carried by SessionStore.get)', sample: () => load(`${server.bareAddress}/library/sessions/${id}`) },
        ),
        await table(
          'post',
          { name: 'Remembr POST /api/v1/sessions/{id}/messages', sample: () => load(`${server.appAddress}/api/v1/sessions/${id}/messages`, { method: 'POST', headers: { ...auth, ...json }, body }) },
          { name: 'bare Fastify POST + one RPUSH (baseline)', sample: () => load(`${server.bareAddress}/sessions/${id}/messages`, { method: 'POST', headers: json, body }) },
          { name: 'bare Fastify POST + the library calls (rate-limit charge carried by ShortTermMemory.append)', sample: () => load(`${server.bareAddress}/library/sessions/${id}/messages`, { method: 'POST', headers: json, body }) },
        ),
      ];
    } finally {
      child.stdin!.end();
      await new Promise((resolve) => {
        if (child.exitCode !== null) resolve(undefined);
        else child.once('exit', resolve);
      });
    }
  },
};
