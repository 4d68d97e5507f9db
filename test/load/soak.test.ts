import { describe, expect, it } from 'vitest';
import { runSoak } from '../../scripts/soak.js';

/** The reduced soak CI runs: the same script as `npm run soak`, shorter. Figures are printed, not timed. */
describe('soak (reduced)', () => {
  it('serves a steady mixed load without errors or growing memory', async () => {
    // The suite runs other files beside this one on two cores: a generous deadline keeps a starved moment from
    // reading as a store failure. What is checked here is errors and memory, not latency.
    const result = await runSoak({ seconds: Number(process.env.SOAK_SECONDS ?? 12), connections: 50, commandTimeoutMs: 5000 });
    console.log(JSON.stringify({ case: 'soak', ...result }));
    expect(result.transportErrors).toBe(0);
    expect(Object.keys(result.byStatus).filter((status) => Number(status) >= 500)).toEqual([]);
    expect(result.requests).toBeGreaterThan(1000);
    // Growth from warm-up to the end stays within what buffers and JIT explain, not a leak per request.
    expect(result.rssEndMiB - result.rssStartMiB).toBeLessThan(64);
  }, 120_000);
});
