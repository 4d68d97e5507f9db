import { AIMessage, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import { RedisChatMessageHistory } from '@langchain/redis';
import { createRemembr } from '../../src/index.js';
import { RemembrChatMessageHistory } from '../../src/langchain/index.js';
import type { BenchCase, BenchContext } from '../context.js';
import { createClient } from 'redis';
import { compare, formatRatio, opsAndCpu, OPS_AND_CPU, throughput, type CaseResult, type Contender, type Metric } from '../harness.js';

const CONCURRENCY = 64;
const SESSIONS = 200;
/** Messages in each window the read samples read back. */
const READ_WINDOW = 20;
/** The window's TTL, given to RedisChatMessageHistory as its sessionTTL so both keep a TTL on every write. */
const TTL_SECONDS = 1800;
/** Within 1.2× of RedisChatMessageHistory's time per call: at least 1/1.2 of its rate. */
const GOAL = 1 / 1.2;
const USER_TEXT =
  'Here is what I found in the logs: the nightly job retried three times, then succeeded after the cache warmed. ' +
  'Next I will check whether the retries line up with the deploy window.';
const AI_TEXT = 'The retries started four minutes after the deploy finished; the alerts last week were a different fault.';

const METRICS: Metric[] = [...OPS_AND_CPU, { key: 'redisUsPerOp', label: 'µs of Redis CPU per op', better: 'lower', format: 'count' }];

interface History {
  addMessage(message: BaseMessage): Promise<void>;
  getMessages(): Promise<BaseMessage[]>;
}

/**
 * LangChain chat histories side by side: Remembr's RemembrChatMessageHistory (over a session's short-term window:
 * token counting, the budget's eviction, the session check, one script per call) and @langchain/redis's
 * RedisChatMessageHistory (LPUSH then EXPIRE, an unbounded list), on the same redis-server, for addMessage and
 * getMessages.
 */
export const chatHistoryCase: BenchCase = {
  id: 'chat-history',
  title: 'LangChain chat histories: RemembrChatMessageHistory vs RedisChatMessageHistory',
  async run(context: BenchContext): Promise<CaseResult[]> {
    const remembr = await createRemembr({ redisUrl: context.redisUrl });
    // One config object for every history: @langchain/redis keeps one client per config object, so all its
    // histories share one connection, as Remembr's default store has one.
    const redisConfig = { url: context.redisUrl };
    const theirClient = new RedisChatMessageHistory({ sessionId: 'bench-connect', config: redisConfig }).client;
    // Connected before the first concurrent call: its ensureReadiness() races ("Socket already opened") when many
    // histories call it at once on a client that is still connecting.
    await theirClient.connect();
    const admin = createClient({ url: context.redisUrl });
    await admin.connect();
    const userId = 'bench-user';
    try {
      const ids = async (count: number) => {
        const created: string[] = [];
        await throughput(async () => {
          created.push((await remembr.sessions.create(userId, { agentId: 'bench-agent' })).sessionId);
        }, { concurrency: 16, count });
        return created;
      };
      const ours = (sessionIds: string[]) => sessionIds.map((sessionId) => new RemembrChatMessageHistory({ memory: remembr.memory, userId, sessionId }));
      const theirs = (prefix: string, ttl: boolean) =>
        Array.from({ length: SESSIONS }, (_, i) =>
          new RedisChatMessageHistory({ sessionId: `bench:${prefix}:${i}`, config: redisConfig, ...(ttl ? { sessionTTL: TTL_SECONDS } : {}) }));
      const message = (n: number): BaseMessage => (n % 2 === 0 ? new HumanMessage(USER_TEXT) : new AIMessage(AI_TEXT));

      const addSets: Array<[string, History[]]> = [
        ['RedisChatMessageHistory (@langchain/redis 1.1, sessionTTL set) (baseline)', theirs('add-ttl', true)],
        ['RedisChatMessageHistory without sessionTTL (one LPUSH, no EXPIRE)', theirs('add', false)],
        ['RemembrChatMessageHistory (token count, budget, one script)', ours(await ids(SESSIONS))],
      ];
      const readSets: Array<[string, History[]]> = [
        ['RedisChatMessageHistory (@langchain/redis 1.1) (baseline)', theirs('read', true)],
        ['RemembrChatMessageHistory', ours(await ids(SESSIONS))],
      ];
      for (const [, histories] of readSets) {
        for (let n = 0; n < READ_WINDOW; n++) await Promise.all(histories.map((history) => history.addMessage(message(n))));
        const read = await histories[7]!.getMessages();
        if (read.length !== READ_WINDOW || read[0]!.content !== USER_TEXT) throw new Error(`a history read back ${read.length} messages, expected ${READ_WINDOW}`);
      }

      const run = async (op: 'add' | 'read', sets: Array<[string, History[]]>): Promise<CaseResult> => {
        context.log(`chat-history ${op}`);
        const contenders: Contender[] = sets.map(([name, histories]) => ({
          name,
          sample: async () => {
            const cpuBefore = await redisCpuMicros(admin);
            let calls = 0;
            const sample = await opsAndCpu(async (n) => {
              await (op === 'add' ? histories[n % SESSIONS]!.addMessage(message(n)) : histories[n % SESSIONS]!.getMessages());
              calls++;
            }, { concurrency: CONCURRENCY, durationMs: context.sampleMs });
            return { ...sample, redisUsPerOp: ((await redisCpuMicros(admin)) - cpuBefore) / Math.max(1, calls) };
          },
        }));
        const rows = await compare({ contenders, baseline: sets[0]![0], metrics: METRICS, ratioMetric: 'opsPerSecond', plan: context.plan, log: context.log });
        const row = rows.at(-1)!;
        return {
          id: `chat-history-${op}`,
          title: `LangChain chat histories: ${op === 'add' ? 'addMessage' : `getMessages of a ${READ_WINDOW}-message window`}, ${CONCURRENCY} concurrent callers`,
          setup: `${SESSIONS} sessions per contender, ${CONCURRENCY} callers each awaiting its previous call, alternating a ` +
            `${USER_TEXT.length}-character HumanMessage and a ${AI_TEXT.length}-character AIMessage, ${context.sampleMs} ms per sample, ` +
            `${context.plan.warmups} warm-up + ${context.plan.rounds} interleaved rounds. RedisChatMessageHistory on one node-redis 4 ` +
            `connection (one config object shared by its histories); RemembrChatMessageHistory on Remembr's default store ` +
            `(${remembr.config.redisConnections} connection${remembr.config.redisConnections === 1 ? '' : 's'}), default ${remembr.config.shortTermMaxTokens}-token budget. ` +
            (op === 'add'
              ? 'Remembr\'s windows fill up and then evict the oldest turn per append; RedisChatMessageHistory\'s lists grow without bound.'
              : `Each window prefilled with ${READ_WINDOW} messages (well inside the budget), read back whole as LangChain messages.`) +
            ' "µs of Redis CPU per op" is the CPU the redis-server process used during the sample (INFO cpu, user + system), ' +
            'per call: its commands with their parsing and network I/O, each counted once.',
          metrics: METRICS,
          ratioMetric: 'opsPerSecond',
          baseline: sets[0]![0],
          rows,
          targets: [{
            text: `RemembrChatMessageHistory ${op === 'add' ? 'addMessage' : 'getMessages'} within 1.2× of RedisChatMessageHistory, while enforcing the token budget`,
            measured: `${formatRatio(row.ratio)} of its rate`,
            met: row.ratio >= GOAL,
          }],
          notes: [],
        };
      };
      return [await run('add', addSets), await run('read', readSets)];
    } finally {
      await admin.close();
      await theirClient.quit().catch(() => {});
      await remembr.close();
    }
  },
};

/**
 * CPU microseconds the redis-server process has used (INFO cpu, user + system). Not INFO commandstats: a command a
 * script runs is counted in its own entry and again inside the EVALSHA that ran it, so summing every entry counted
 * a script's work twice, and commandstats leaves out reading and writing the connections, which two commands per
 * call (LPUSH then EXPIRE) pay twice and one script once.
 */
async function redisCpuMicros(admin: { info(section: string): Promise<string> }): Promise<number> {
  const info = await admin.info('cpu');
  const seconds = (field: string) => Number(new RegExp(`^${field}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6;
}
