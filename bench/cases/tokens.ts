import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import { loadEncoder, TOKEN_ENCODINGS } from '../../src/index.js';
import type { BenchCase, BenchContext } from '../context.js';
import { compare, formatValue, quantile, type CaseResult, type Metric } from '../harness.js';

const SIZE = 32 * 1024;
const PROSE =
  'The nightly job retried three times, then succeeded after the cache warmed; next I will check whether the ' +
  "retries line up with the deploy window, and whether last week's alerts (14 of them) were the same fault. ";
/** The inputs that stalled js-tiktoken for minutes, at the default MAX_MESSAGE_BYTES, and prose of the same size. */
const INPUTS: Array<[name: string, text: string]> = [
  ['prose, 32 KiB (baseline)', PROSE.repeat(Math.ceil(SIZE / PROSE.length)).slice(0, SIZE)],
  ['"x" × 32,768', 'x'.repeat(SIZE)],
  ['"é" × 16,384', 'é'.repeat(SIZE / 2)],
  ['👋 × 8,192', '👋'.repeat(SIZE / 4)],
  ['" " × 32,768', ' '.repeat(SIZE)],
  ['"!" × 32,768', '!'.repeat(SIZE)],
];
const CLIENTS = 10;

const COUNT: Metric[] = [{ key: 'ms', label: 'ms per count', better: 'lower', format: 'ms' }];
const HEALTH: Metric[] = [
  { key: 'p99Ms', label: '/health p99', better: 'lower', format: 'ms' },
  { key: 'maxMs', label: '/health max', better: 'lower', format: 'ms' },
  { key: 'appendsPerSecond', label: 'worst-case appends/s', better: 'higher', format: 'count' },
  { key: 'refused', label: 'appends answered 503', better: 'lower', format: 'count' },
  { key: 'loopP99Ms', label: 'server event-loop delay p99', better: 'lower', format: 'ms' },
];

/**
 * Token counting on the worst inputs: one repeated character is one pre-tokenized piece, and js-tiktoken's merge is
 * quadratic in a piece's length (32 KiB of "x" took 125 s). First the time to count each input with Remembr's
 * encoder, in both encodings, beside prose of the same size; then GET /health latency on the real service while
 * ten clients send those inputs as messages.
 */
export const tokensCase: BenchCase = {
  id: 'tokens',
  title: 'Token counting: the worst-case inputs, and /health while they are sent',
  async run(context: BenchContext): Promise<CaseResult[]> {
    const results: CaseResult[] = [];
    for (const encoding of TOKEN_ENCODINGS) {
      const encoder = await loadEncoder(encoding);
      context.log(`tokens: counting in ${encoding}`);
      const rows = await compare({
        contenders: INPUTS.map(([name, text]) => ({
          name,
          sample: async () => {
            const started = performance.now();
            encoder.count(text);
            return { ms: performance.now() - started };
          },
        })),
        baseline: INPUTS[0]![0],
        metrics: COUNT,
        ratioMetric: 'ms',
        plan: context.plan,
        log: context.log,
      });
      const worst = Math.max(...rows.slice(1).map((row) => row.medians.ms!));
      results.push({
        id: `tokens-count-${encoding}`,
        title: `Token counting in ${encoding}: worst-case 32 KiB inputs vs prose`,
        setup: `Remembr's encoder (countTokens) on each input once per sample, in this process; ${context.plan.warmups} warm-up + ` +
          `${context.plan.rounds} interleaved rounds. The ratio is prose's time over the input's (below 1: slower than prose).`,
        metrics: COUNT,
        ratioMetric: 'ms',
        baseline: INPUTS[0]![0],
        rows,
        targets: [{ text: 'Every worst-case input counts in tens of milliseconds (< 100 ms)', measured: `slowest ${formatValue(worst, { format: 'ms' })}`, met: worst < 100 }],
        notes: encoding === 'cl100k_base' ? [await referenceNote()] : [],
      });
    }
    results.push(await healthUnderLoad(context));
    return results;
  },
};

/** js-tiktoken on a 2 KiB run of "x", for scale: its time grows with the square of the piece. */
async function referenceNote(): Promise<string> {
  const reference = new Tiktoken(cl100k);
  const ours = await loadEncoder('cl100k_base');
  const text = 'x'.repeat(2048);
  let started = performance.now();
  reference.encode(text, [], []);
  const theirs = performance.now() - started;
  started = performance.now();
  ours.count(text);
  const own = performance.now() - started;
  return `For scale, js-tiktoken 1.0.21 counts "x" × 2,048 in ${formatValue(theirs, { format: 'ms' })} (Remembr: ${formatValue(own, { format: 'ms' })}); ` +
    'its merge rescans every pair after each merge, so 16× the length is about 256× the time (the issue measured 125 s at 32 KiB).';
}

interface Server {
  appAddress: string;
  sessionId: string;
  apiKey: string;
}

async function healthUnderLoad(context: BenchContext): Promise<CaseResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('../http-server.ts', import.meta.url).pathname, context.redisUrl], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    const lines = createInterface({ input: child.stdout! });
    const server = JSON.parse(await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the HTTP server exited with ${code}`)));
      lines.once('line', resolve);
    })) as Server;
    // The server's own event-loop delay over a sample (http-server.ts `loop`): what /health waited for the main thread.
    const serverLoop = async () => {
      const reply = new Promise<string>((resolve) => lines.once('line', resolve));
      child.stdin!.write('loop\n');
      return JSON.parse(await reply) as { p99Ms: number; maxMs: number };
    };
    const headers = { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' };
    const worst = INPUTS.slice(1).map(([, text]) => JSON.stringify({ role: 'user', content: text }));
    const durationMs = context.quick ? 1000 : 2000;

    const sample = (withLoad: boolean) => async () => {
      await serverLoop();
      let running = true;
      let appends = 0;
      let refused = 0;
      const started = performance.now();
      const clients = Array.from({ length: withLoad ? CLIENTS : 0 }, async (_, client) => {
        for (let n = client; running; n++) {
          const res = await fetch(`${server.appAddress}/api/v1/sessions/${server.sessionId}/messages`, { method: 'POST', headers, body: worst[n % worst.length] });
          await res.arrayBuffer();
          // 201, or 422 for an input over the default 4,000-token budget: either way it was counted in full. A 503
          // (the append could not reach the store within its bound) is counted as a figure, not a failed run.
          if (res.status === 503) refused++;
          else if (res.status !== 201 && res.status !== 422) throw new Error(`an append answered ${res.status}`);
          else appends++;
        }
      });
      const latencies: number[] = [];
      while (performance.now() - started < durationMs) {
        const sent = performance.now();
        const res = await fetch(`${server.appAddress}/api/v1/health`);
        await res.arrayBuffer();
        latencies.push(performance.now() - sent);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      running = false;
      await Promise.all(clients);
      return {
        p99Ms: quantile(latencies, 0.99),
        maxMs: Math.max(...latencies),
        appendsPerSecond: withLoad ? appends / ((performance.now() - started) / 1000) : 0,
        refused,
        loopP99Ms: (await serverLoop()).p99Ms,
      };
    };
    const idle = 'idle service (baseline)';
    const loaded = `${CLIENTS} clients sending worst-case messages`;
    context.log('tokens: /health under worst-case appends');
    const rows = await compare({
      contenders: [
        { name: idle, sample: sample(false) },
        { name: loaded, sample: sample(true) },
      ],
      baseline: idle,
      metrics: HEALTH,
      ratioMetric: 'p99Ms',
      plan: { rounds: context.quick ? 2 : 5, warmups: 1 },
      log: context.log,
    });
    const p99 = rows[1]!.medians.p99Ms!;
    return {
      id: 'tokens-health',
      title: 'GET /health latency while 10 clients send worst-case messages',
      setup: `The HTTP case's server process (Remembr's app on Redis, default budget and MAX_MESSAGE_BYTES, cl100k_base). ` +
        `${CLIENTS} clients each send the five 32 KiB worst-case inputs in turn to one session, back to back, for ${durationMs} ms per sample, ` +
        'while this process sends GET /health every 5 ms. Inputs over the 4,000-token budget answer 422 after being counted in full. ' +
        'Long texts are counted on worker threads (up to one per core, at nice 10 on Linux, one started when the service gets ready). ' +
        '"server event-loop delay p99" is the server process\'s own (monitorEventLoopDelay): with the idle row it separates what ' +
        'the counting costs the main thread from what this shared machine costs every process.',
      metrics: HEALTH,
      ratioMetric: 'p99Ms',
      baseline: idle,
      rows,
      targets: [{ text: '/health p99 under 50 ms while 10 clients send worst-case messages', measured: formatValue(p99, { format: 'ms' }), met: p99 < 50 }],
      notes: [],
    };
  } finally {
    child.stdin!.end();
    await new Promise((resolve) => {
      if (child.exitCode !== null) resolve(undefined);
      else child.once('exit', resolve);
    });
  }
}
