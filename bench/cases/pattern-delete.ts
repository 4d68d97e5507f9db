import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createInterface, type Interface } from 'node:readline';
import { createClient, type RedisClientType } from 'redis';
import { createRemembr } from '../../src/index.js';
import type { BenchCase, BenchContext } from '../context.js';
import { compare, formatValue, timed, type CaseResult, type Contender, type Metric } from '../harness.js';

const TOTAL_KEYS = 200_000;
const DOOMED_KEYS = 100_000;
const PROBE_GAP_MS = 2;
const PATTERN = 'remembr:benchdel:doomed:*';

const METRICS: Metric[] = [
  { key: 'probeMaxMs', label: 'probe max latency', better: 'lower', format: 'ms' },
  { key: 'probeP99Ms', label: 'probe p99', better: 'lower', format: 'ms' },
  { key: 'tookMs', label: 'time taken', better: 'lower', format: 'ms' },
  { key: 'deleted', label: 'keys deleted', better: 'higher', format: 'count' },
];

/**
 * Case 3: delete the 100,000 keys matching a pattern out of 200,000, while a probe in another process PINGs Redis
 * every 2 ms and records its worst round trip. `deletePattern` walks with SCAN and UNLINKs each batch; the guide's
 * one-shot delete asks KEYS for every match and sends them all to one DEL. Every round starts from the same fresh
 * keyspace, and both must leave exactly the other 100,000 keys standing.
 */
export const patternDeleteCase: BenchCase = {
  id: 'pattern-delete',
  title: 'Pattern delete of 100,000 of 200,000 keys, with a PING probe',
  async run(context: BenchContext): Promise<CaseResult[]> {
    const remembr = await createRemembr({ redisUrl: context.redisUrl });
    const client = createClient({ url: context.redisUrl });
    await client.connect();
    const probe = await startProbe(new URL(context.redisUrl).port);

    const measure = async (remove: () => Promise<number>) => {
      await client.flushAll();
      await populate(client);
      await sleep(50);
      probe.send('reset');
      let deleted = 0;
      const tookMs = await timed(async () => {
        deleted = await remove();
      });
      // Let a ping caught behind the last command come back before reading the record.
      await sleep(20);
      const seen = await probe.report();
      const left = await client.dbSize();
      if (deleted !== DOOMED_KEYS || left !== TOTAL_KEYS - DOOMED_KEYS) {
        throw new Error(`expected ${DOOMED_KEYS} deleted and ${TOTAL_KEYS - DOOMED_KEYS} left, got ${deleted} and ${left}`);
      }
      return { probeMaxMs: seen.maxMs, probeP99Ms: seen.p99Ms, tookMs, deleted };
    };

    const oneShot = 'one-shot KEYS + DEL, the guide (baseline)';
    const contenders: Contender[] = [
      {
        name: oneShot,
        sample: () => measure(async () => {
          const keys = await client.keys(PATTERN);
          return client.del(keys);
        }),
      },
      { name: 'Remembr deletePattern (SCAN + UNLINK batches of 500)', sample: () => measure(() => remembr.cache.deletePattern(PATTERN)) },
    ];
    try {
      // The probe's own floor on this machine, with Redis idle, for reading the figures above.
      probe.send('reset');
      await sleep(Math.max(500, context.sampleMs));
      const idle = await probe.report();

      const rows = await compare({
        contenders,
        baseline: oneShot,
        metrics: METRICS,
        ratioMetric: 'probeMaxMs',
        // Each sample rebuilds 200,000 keys, so no warm-up and fewer rounds than the throughput cases.
        plan: { rounds: context.quick ? 1 : 5, warmups: 0 },
        log: context.log,
      });
      const ours = rows[1]!;
      const theirs = rows[0]!;
      return [
        {
          id: 'pattern-delete',
          title: `Pattern delete: ${DOOMED_KEYS.toLocaleString('en-US')} of ${TOTAL_KEYS.toLocaleString('en-US')} keys while a probe PINGs`,
          setup: `${TOTAL_KEYS.toLocaleString('en-US')} keys (half match \`${PATTERN}\`, interleaved with the rest), short JSON values. ` +
            `A probe in its own process sends PING every ${PROBE_GAP_MS} ms on its own connection; its latencies are taken over the delete. ` +
            `Idle Redis, for reference: probe max ${formatValue(idle.maxMs, { format: 'ms' })}, p99 ${formatValue(idle.p99Ms, { format: 'ms' })} over ${idle.pings} pings. ` +
            `${context.quick ? 1 : 5} interleaved rounds, each on a freshly built keyspace.`,
          metrics: METRICS,
          ratioMetric: 'probeMaxMs',
          baseline: oneShot,
          rows,
          targets: [
            {
              text: 'deletePattern of 100,000 keys: probe max latency < 20 ms',
              measured: `${formatValue(ours.medians.probeMaxMs!, { format: 'ms' })} (one-shot DEL: ${formatValue(theirs.medians.probeMaxMs!, { format: 'ms' })})`,
              met: ours.medians.probeMaxMs! < 20,
            },
          ],
          notes: [],
        },
      ];
    } finally {
      probe.quit();
      await client.close();
      await remembr.close();
    }
  },
};

/** 200,000 keys, doomed and kept alternating, written as pipelined MSETs of 1,000. */
async function populate(client: Pick<RedisClientType, 'mSet'>): Promise<void> {
  const value = JSON.stringify({ note: 'kept or doomed', n: 0 });
  const writes: Array<Promise<unknown>> = [];
  for (let start = 0; start < TOTAL_KEYS; start += 1000) {
    const entries: Array<[string, string]> = [];
    for (let i = start; i < start + 1000; i++) {
      entries.push([`remembr:benchdel:${i % 2 === 0 ? 'doomed' : 'kept'}:${i}`, value]);
    }
    writes.push(client.mSet(entries));
  }
  await Promise.all(writes);
}

interface Probe {
  send(command: 'reset'): void;
  report(): Promise<{ pings: number; maxMs: number; p99Ms: number; p50Ms: number }>;
  quit(): void;
}

async function startProbe(port: string): Promise<Probe> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', new URL('../probe.ts', import.meta.url).pathname, port, String(PROBE_GAP_MS)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: Interface = createInterface({ input: child.stdout! });
  let failWaiter: ((err: Error) => void) | undefined;
  child.once('exit', () => failWaiter?.(new Error('the probe exited')));
  const nextLine = () => new Promise<string>((resolve, reject) => {
    failWaiter = reject;
    lines.once('line', resolve);
  });
  const ready = await nextLine();
  if (ready !== 'ready') throw new Error(`the probe said ${ready}`);
  return {
    send: (command) => child.stdin!.write(`${command}\n`),
    report: async () => {
      const reply = nextLine();
      child.stdin!.write('report\n');
      return JSON.parse(await reply) as { pings: number; maxMs: number; p99Ms: number; p50Ms: number };
    },
    quit: () => {
      child.stdin!.write('quit\n');
      child.stdin!.end();
    },
  };
}
