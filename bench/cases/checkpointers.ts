import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import { emptyCheckpoint, MemorySaver, uuid6, type BaseCheckpointSaver, type Checkpoint } from '@langchain/langgraph-checkpoint';
import pg from 'pg';
import { createRemembr } from '../../src/index.js';
import { RemembrSaver } from '../../src/langgraph/index.js';
import type { BenchCase, BenchContext } from '../context.js';
import { sampleValue } from '../context.js';
import { compare, formatRatio, opsAndCpu, OPS_AND_CPU, type CaseResult, type Contender } from '../harness.js';

const CONCURRENCY = 16;
const THREADS = 200;
const PREFILL = 5;
const LIST_LIMIT = 10;
/** PostgreSQL as this machine runs it: local, trust authentication. */
const POSTGRES = 'postgresql://postgres@127.0.0.1:5432';

/**
 * LangGraph checkpointers side by side: RemembrSaver (on Remembr's store), LangGraph's PostgresSaver (in a
 * database this case creates and drops) and its MemorySaver (in process, the floor), each on its own threads, for
 * put, getTuple (the latest checkpoint of a thread) and list (the last 10).
 */
export const checkpointersCase: BenchCase = {
  id: 'checkpointers',
  title: 'LangGraph checkpointers: RemembrSaver, PostgresSaver, MemorySaver',
  async run(context: BenchContext): Promise<CaseResult[]> {
    const database = `remembr_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: `${POSTGRES}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const remembr = await createRemembr({ redisUrl: context.redisUrl });
    // The pool is ours to end before the database is dropped (a dropped database ends its connections with an error).
    const pool = new pg.Pool({ connectionString: `${POSTGRES}/${database}` });
    pool.on('error', () => {});
    const postgres = new PostgresSaver(pool);
    try {
      await postgres.setup();
      const savers: Array<[string, BaseCheckpointSaver]> = [
        ['PostgresSaver (@langchain/langgraph-checkpoint-postgres, local PostgreSQL 15) (baseline)', postgres],
        ['RemembrSaver on Remembr\'s store', new RemembrSaver({ store: remembr.store, scope: `bench-${process.pid}` })],
        ['MemorySaver (LangGraph, in process)', new MemorySaver()],
      ];
      const value = sampleValue();
      const config = (thread: number) => ({ configurable: { thread_id: `thread-${thread}`, checkpoint_ns: '' } });
      let step = 0;
      const put = (saver: BaseCheckpointSaver, thread: number) => {
        const checkpoint: Checkpoint = emptyCheckpoint();
        checkpoint.id = uuid6(-3);
        step++;
        checkpoint.channel_values = { state: value, step };
        checkpoint.channel_versions = { state: step, step };
        return saver.put(config(thread), checkpoint, { source: 'loop', step, parents: {} }, { state: step, step });
      };
      for (const [, saver] of savers) {
        for (let round = 0; round < PREFILL; round++) {
          await Promise.all(Array.from({ length: THREADS }, (_, thread) => put(saver, thread)));
        }
        const latest = await saver.getTuple(config(7));
        if ((latest?.checkpoint.channel_values as { state?: { id?: string } } | undefined)?.state?.id !== value.id) {
          throw new Error('a checkpointer did not read back what it stored');
        }
      }
      const operations = {
        put: (saver: BaseCheckpointSaver, n: number) => put(saver, n % THREADS),
        getTuple: (saver: BaseCheckpointSaver, n: number) => saver.getTuple(config(n % THREADS)),
        list: async (saver: BaseCheckpointSaver, n: number) => {
          let found = 0;
          for await (const _ of saver.list(config(n % THREADS), { limit: LIST_LIMIT })) found++;
          return found;
        },
      };
      const results: CaseResult[] = [];
      for (const [op, run] of Object.entries(operations)) {
        context.log(`checkpointers ${op}`);
        const contenders: Contender[] = savers.map(([name, saver]) => ({
          name,
          sample: () => opsAndCpu((n) => run(saver, n), { concurrency: CONCURRENCY, durationMs: context.sampleMs }),
        }));
        const rows = await compare({ contenders, baseline: savers[0]![0], metrics: OPS_AND_CPU, ratioMetric: 'opsPerSecond', plan: context.plan, log: context.log });
        const ours = rows[1]!;
        results.push({
          id: `checkpointers-${op}`,
          title: `LangGraph checkpointers: ${op}${op === 'list' ? ` (last ${LIST_LIMIT})` : ''}, ${CONCURRENCY} concurrent callers`,
          setup: `A checkpoint holding a ${JSON.stringify(value).length}-byte JSON state, ${THREADS} threads per saver prefilled with ` +
            `${PREFILL} checkpoints each (put keeps adding), ${CONCURRENCY} callers each awaiting its previous call, ` +
            `${context.sampleMs} ms per sample, ${context.plan.warmups} warm-up + ${context.plan.rounds} interleaved rounds. ` +
            `PostgresSaver in a database of this run's own (created and dropped), on a pg pool of its default size (10); RemembrSaver on the ` +
            `default store (${remembr.config.redisConnections} connection${remembr.config.redisConnections === 1 ? '' : 's'}).`,
          metrics: OPS_AND_CPU,
          ratioMetric: 'opsPerSecond',
          baseline: savers[0]![0],
          rows,
          targets: op === 'list'
            ? []
            : [{ text: `RemembrSaver ahead of PostgresSaver on ${op}`, measured: formatRatio(ours.ratio), met: ours.ratio > 1 }],
          notes: [],
        });
      }
      return results;
    } finally {
      await pool.end();
      await remembr.close();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  },
};
