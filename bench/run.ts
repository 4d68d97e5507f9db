/**
 * `npm run bench` — Remembr beside the raw client and the libraries a user would pick instead, on a redis-server of
 * its own. `--quick` for a run under a minute (fewer, shorter rounds; the client-shape evidence is left out),
 * `--only <case>` for one case; a full run of every case rewrites BENCHMARKS.md (`--write` forces it for other runs).
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createClient } from 'redis';
import { startRedisServer } from '../test/support/redis-server.js';
import { batchesCase } from './cases/batches.js';
import { chatHistoryCase } from './cases/chat-history.js';
import { cacheJsonCase } from './cases/cache-json.js';
import { checkpointersCase } from './cases/checkpointers.js';
import { clientCacheCase } from './cases/client-cache.js';
import { clientShapeCase } from './cases/client-shape.js';
import { connectionsCase } from './cases/connections.js';
import { httpCase } from './cases/http.js';
import { memoryCase } from './cases/memory.js';
import { patternDeleteCase } from './cases/pattern-delete.js';
import { rateLimitCase } from './cases/rate-limit.js';
import { tokensCase } from './cases/tokens.js';
import type { BenchCase, BenchContext } from './context.js';
import type { CaseResult } from './harness.js';
import { describeMachine, jsonLine, markdownCase, markdownDocument } from './report.js';

const CASES: BenchCase[] = [cacheJsonCase, clientCacheCase, connectionsCase, clientShapeCase, batchesCase, patternDeleteCase, rateLimitCase, memoryCase, tokensCase, httpCase, checkpointersCase, chatHistoryCase];

interface Args {
  quick: boolean;
  only?: string;
  write: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, write: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') args.quick = true;
    else if (arg === '--write') args.write = true;
    else if (arg === '--only') args.only = argv[++i];
    else if (arg?.startsWith('--only=')) args.only = arg.slice('--only='.length);
    else if (arg === '--help' || arg === '-h') {
      console.log(`usage: npm run bench -- [--quick] [--only <case>[,<case>…]] [--write]\ncases: ${CASES.map((c) => c.id).join(', ')}`);
      process.exit(0);
    } else {
      console.error(`unknown argument ${String(arg)} (try --help)`);
      process.exit(2);
    }
  }
  const unknown = args.only?.split(',').filter((id) => !CASES.some((c) => c.id === id)) ?? [];
  if (unknown.length > 0) {
    console.error(`no case "${unknown.join(', ')}"; cases: ${CASES.map((c) => c.id).join(', ')}`);
    process.exit(2);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const loadAtStart = loadavg()[0]!;
  const runStarted = Date.now();
  const caseSeconds: Array<[string, number]> = [];
  const server = await startRedisServer();
  let exitCode = 0;
  try {
    const redisVersion = await readRedisVersion(server.url);
    const context: BenchContext = {
      redisUrl: server.url,
      quick: args.quick,
      // Many short samples rather than a few long ones: a burst of noise on this shared machine then lands on every
      // contender alike instead of deciding one contender's median.
      plan: args.quick ? { rounds: 2, warmups: 1 } : { rounds: 15, warmups: 1 },
      sampleMs: args.quick ? 250 : 500,
      log,
      findings: [],
    };
    log(`redis-server ${redisVersion} on port ${server.port}; ${args.quick ? 'quick' : 'full'} run`);
    const results: CaseResult[] = [];
    const chosen = CASES.filter((c) => (args.only === undefined ? !(args.quick && c.fullRunOnly) : args.only.split(',').includes(c.id)));
    for (const benchCase of chosen) {
      log(`== ${benchCase.id}: ${benchCase.title}`);
      const started = Date.now();
      await flush(server.url);
      for (const result of await benchCase.run(context)) {
        results.push(result);
        console.log(jsonLine(result));
      }
      caseSeconds.push([benchCase.id, (Date.now() - started) / 1000]);
      log(`   ${benchCase.id} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    console.log(`\n${results.map(markdownCase).join('\n\n')}\n`);
    const missed = results.flatMap((r) => r.targets).filter((t) => !t.met);
    log(missed.length === 0 ? 'every target met' : `targets missed: ${missed.map((t) => t.text).join('; ')}`);

    if (args.write || (!args.quick && args.only === undefined)) {
      const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
      const file = new URL('../BENCHMARKS.md', import.meta.url);
      writeFileSync(file, markdownDocument(results, describeMachine(redisVersion, loadAtStart, (Date.now() - runStarted) / 1000, caseSeconds), command, context.findings));
      log(`wrote ${file.pathname}`);
    }
  } catch (err) {
    console.error(err);
    exitCode = 1;
  } finally {
    await server.stop();
  }
  process.exit(exitCode);
}

async function readRedisVersion(url: string): Promise<string> {
  const client = createClient({ url });
  await client.connect();
  try {
    const info = await client.info('server');
    return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  } finally {
    await client.close();
  }
}

/** Each case starts from an empty database, so one case's keys never slow another's SCAN. */
async function flush(url: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  try {
    await client.flushAll();
  } finally {
    await client.close();
  }
}

await main();
