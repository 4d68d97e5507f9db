import { createClient } from 'redis';
import { createRemembr, ShortTermMemory, type SessionStore } from '../../src/index.js';
import type { BenchCase, BenchContext } from '../context.js';
import { compare, formatRatio, throughput, type CaseResult, type Contender, type Metric } from '../harness.js';

const CONCURRENCY = 64;
const SPREAD_SESSIONS = 1000;
const WINDOW_SIZES = [10, 100, 1000];
/** A budget no window here comes near, so the growth case never evicts and the window really holds what it says. */
const HUGE_BUDGET = 10_000_000;
const CONTENT =
  'Here is what I found in the logs: the nightly job retried three times, then succeeded after the cache warmed. ' +
  'Next I will check whether the retries line up with the deploy window.';

const APPENDS: Metric[] = [{ key: 'appendsPerSecond', label: 'appends/s', better: 'higher', format: 'count' }];
const GROWTH: Metric[] = [
  { key: 'appendsPerSecond', label: 'appends/s', better: 'higher', format: 'count' },
  { key: 'redisUsPerAppend', label: 'µs in Redis per append', better: 'lower', format: 'count' },
  { key: 'windowAfter', label: 'window after sample', better: 'lower', format: 'count' },
];

/**
 * Case 5: short-term memory appends through the library component (`ShortTermMemory.append`: token count in
 * Node, then one script). First throughput into one hot session and spread over 1,000 sessions with the default
 * budget (so the hot window evicts as it would in use); then the cost of an append into windows of 10, 100 and
 * 1,000 messages with a budget so large nothing is evicted. The growth samples also read Redis's own time per
 * script call from INFO commandstats, which client noise does not touch.
 */
export const memoryCase: BenchCase = {
  id: 'memory',
  title: 'Short-term memory appends: hot session, 1,000 sessions, and cost as the window grows',
  async run(context: BenchContext): Promise<CaseResult[]> {
    const remembr = await createRemembr({ redisUrl: context.redisUrl });
    const admin = createClient({ url: context.redisUrl });
    await admin.connect();
    try {
      const userId = 'bench-user';
      const newSessions = async (sessions: SessionStore, count: number) => {
        const ids: string[] = [];
        await throughput(async () => {
          ids.push((await sessions.create(userId, { agentId: 'bench-agent' })).sessionId);
        }, { concurrency: CONCURRENCY, count });
        return ids;
      };

      // --- hot session vs 1,000 sessions, default budget
      const hot = (await newSessions(remembr.sessions, 1))[0]!;
      const spread = await newSessions(remembr.sessions, SPREAD_SESSIONS);
      const append = (memory: ShortTermMemory, sessionId: string) => async () => {
        if ((await memory.append(userId, sessionId, { role: 'user', content: CONTENT })) === null) {
          throw new Error(`session ${sessionId} vanished during the benchmark`);
        }
      };
      const appendsPerSecond = async (pick: (n: number) => string) => ({
        appendsPerSecond: await throughput((_, n) => append(remembr.memory, pick(n))(), { concurrency: CONCURRENCY, durationMs: context.sampleMs }),
      });
      const spreadName = `${SPREAD_SESSIONS.toLocaleString('en-US')} sessions, round-robin (baseline)`;
      context.log('memory: hot session vs spread');
      const spreadRows = await compare({
        contenders: [
          { name: spreadName, sample: () => appendsPerSecond((n) => spread[n % SPREAD_SESSIONS]!) },
          { name: 'one hot session', sample: () => appendsPerSecond(() => hot) },
        ],
        baseline: spreadName,
        metrics: APPENDS,
        ratioMetric: 'appendsPerSecond',
        plan: context.plan,
        log: context.log,
      });

      // --- cost of an append as the window grows, nothing evicted
      const bigMemory = new ShortTermMemory(remembr.store, { maxTokens: HUGE_BUDGET });
      const sessionsPerSize = context.quick ? 16 : CONCURRENCY;
      const windows = new Map<number, string[]>();
      for (const size of WINDOW_SIZES) {
        const ids = await newSessions(remembr.sessions, sessionsPerSize);
        await throughput((_, n) => append(bigMemory, ids[n % ids.length]!)(), { concurrency: CONCURRENCY, count: size * ids.length });
        windows.set(size, ids);
      }
      const lengths = new Map(WINDOW_SIZES.map((size) => [size, size]));
      const growthSample = (size: number) => async () => {
        const ids = windows.get(size)!;
        await admin.configResetStat();
        // One append to each session: every window grows by exactly one per sample.
        const rate = await throughput((_, n) => append(bigMemory, ids[n]!)(), { concurrency: Math.min(CONCURRENCY, ids.length), count: ids.length });
        lengths.set(size, lengths.get(size)! + 1);
        return { appendsPerSecond: rate, redisUsPerAppend: await scriptMicros(admin), windowAfter: lengths.get(size)! };
      };
      const growthPlan = { rounds: context.quick ? 2 : 5, warmups: 1 };
      const sizeName = (size: number) => `window of ${size.toLocaleString('en-US')} messages${size === WINDOW_SIZES[0] ? ' (baseline)' : ''}`;
      context.log('memory: append cost by window size');
      // Each sample is one append per session, so take several per round for a steadier figure.
      const growthRows = await compare({
        contenders: WINDOW_SIZES.map((size) => ({ name: sizeName(size), sample: repeat(growthSample(size), 5) })),
        baseline: sizeName(WINDOW_SIZES[0]!),
        metrics: GROWTH,
        ratioMetric: 'appendsPerSecond',
        // Every sample grows the windows, so fewer rounds than the throughput cases: the smallest stays near 10.
        plan: growthPlan,
        log: context.log,
      });
      await checkWindowLengths(bigMemory, userId, windows, lengths);

      const largest = growthRows.at(-1)!;
      const smallest = growthRows[0]!;
      const costRatio = smallest.medians.appendsPerSecond! / largest.medians.appendsPerSecond!;
      const redisRatio = largest.medians.redisUsPerAppend! / smallest.medians.redisUsPerAppend!;
      return [
        {
          id: 'memory-append',
          title: 'Short-term memory: appends per second, one hot session vs 1,000 sessions',
          setup: `ShortTermMemory.append of a ${CONTENT.length}-character user message (token count included) from ${CONCURRENCY} callers, ` +
            `default budget of ${remembr.config.shortTermMaxTokens} tokens (the hot window fills up and then evicts one message per append). ` +
            `${context.sampleMs} ms per sample, ${context.plan.warmups} warm-up + ${context.plan.rounds} interleaved rounds.`,
          metrics: APPENDS,
          ratioMetric: 'appendsPerSecond',
          baseline: spreadName,
          rows: spreadRows,
          targets: [],
          notes: [],
        },
        {
          id: 'memory-growth',
          title: 'Short-term memory: cost of an append as the window grows',
          setup: `${sessionsPerSize} sessions per size, prefilled to 10, 100 and 1,000 messages (budget ${HUGE_BUDGET.toLocaleString('en-US')} tokens: ` +
            `nothing is evicted). A sample appends once to each session (${Math.min(CONCURRENCY, sessionsPerSize)} callers) five times over, ` +
            `so windows grow by 5 per sample; "window after sample" is the median length reached. Redis's own time per script call is ` +
            `read from INFO commandstats (usec_per_call of EVALSHA). ${growthPlan.warmups} warm-up + ${growthPlan.rounds} interleaved rounds.`,
          metrics: GROWTH,
          ratioMetric: 'appendsPerSecond',
          baseline: sizeName(WINDOW_SIZES[0]!),
          rows: growthRows,
          targets: [
            {
              text: 'Append cost at 1,000 messages within 1.5× the cost at 10',
              measured: `${formatRatio(costRatio)} the time per append (Redis-side ${formatRatio(redisRatio)})`,
              met: costRatio <= 1.5,
            },
          ],
          notes: [],
        },
      ];
    } finally {
      await admin.close();
      await remembr.close();
    }
  },
};

/** Runs a growth sample `times` times and reports the mean rate, the mean Redis time, and the last length. */
function repeat(sample: () => Promise<Record<string, number>>, times: number): () => Promise<Record<string, number>> {
  return async () => {
    let seconds = 0;
    let redisUs = 0;
    let last: Record<string, number> = {};
    for (let i = 0; i < times; i++) {
      last = await sample();
      seconds += 1 / last.appendsPerSecond!;
      redisUs += last.redisUsPerAppend!;
    }
    return { appendsPerSecond: times / seconds, redisUsPerAppend: redisUs / times, windowAfter: last.windowAfter! };
  };
}

/** Microseconds Redis spent per EVALSHA since the last CONFIG RESETSTAT. */
async function scriptMicros(admin: { info(section: string): Promise<string> }): Promise<number> {
  const stats = await admin.info('commandstats');
  const line = /cmdstat_evalsha:calls=(\d+),usec=(\d+)/.exec(stats);
  return line ? Number(line[2]) / Number(line[1]) : Number.NaN;
}

/** Every window must hold exactly what was appended to it: the growth figures are for those lengths. */
async function checkWindowLengths(memory: ShortTermMemory, userId: string, windows: Map<number, string[]>, lengths: Map<number, number>): Promise<void> {
  for (const [size, ids] of windows) {
    const window = await memory.read(userId, ids[0]!);
    if (window?.messages.length !== lengths.get(size)) {
      throw new Error(`a window prefilled to ${size} holds ${window?.messages.length} messages, expected ${lengths.get(size)}`);
    }
  }
}
