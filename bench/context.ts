import type { CaseResult, RoundPlan } from './harness.js';

/** What every case is given by the runner. */
export interface BenchContext {
  /** The benchmark's own redis-server. */
  redisUrl: string;
  quick: boolean;
  plan: RoundPlan;
  /** How long one throughput sample runs. */
  sampleMs: number;
  log(line: string): void;
  /** Conclusions worth the document's summary (a design question for the lead, a limit found while profiling). */
  findings: string[];
}

export interface BenchCase {
  id: string;
  title: string;
  /** Evidence rather than a target: left out of `--quick` (still run by `--only`). */
  fullRunOnly?: boolean;
  run(context: BenchContext): Promise<CaseResult[]>;
}

/**
 * A JSON value of about 1 KB shaped like what an agent backend caches: a record with nested fields and some text.
 * Built once, so every contender stringifies and parses the same thing.
 */
export function sampleValue(seed = 0): Record<string, unknown> {
  const value = {
    id: `doc-${seed}`,
    owner: { userId: 'user-42', team: 'research', roles: ['reader', 'writer'] },
    createdAt: '2025-01-01T12:00:00.000Z',
    tokens: 231,
    score: 0.8125,
    tags: ['agent', 'memory', 'summary', 'redis'],
    messages: [
      { role: 'user', content: 'Summarise the incident report from last night and list the follow-ups.' },
      { role: 'assistant', content: 'The cache tier lost its primary for 40 seconds; writes failed over cleanly.' },
    ],
    text: '',
  };
  const filler = 'Short-term state for an agent: the last turns, a plan, and the tools it called. ';
  while (JSON.stringify(value).length < 1000) value.text += filler;
  value.text = value.text.slice(0, value.text.length - (JSON.stringify(value).length - 1024));
  return value;
}
