import { cpus, loadavg, totalmem } from 'node:os';
import { formatRatio, formatValue, type CaseResult } from './harness.js';

export interface Machine {
  cores: number;
  memoryGiB: number;
  cpuModel: string;
  node: string;
  redis: string;
  date: string;
  /** 1-minute load average when the run started and when it ended: other work on the machine shows here. */
  loadAtStart: number;
  loadAtEnd: number;
  /** Wall time of the run, and of each case in it (seconds). */
  runSeconds: number;
  caseSeconds: Array<[id: string, seconds: number]>;
}

export function describeMachine(redisVersion: string, loadAtStart: number, runSeconds: number, caseSeconds: Array<[string, number]>): Machine {
  const cpu = cpus();
  return {
    cores: cpu.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    node: process.version,
    redis: redisVersion,
    date: new Date().toISOString(),
    loadAtStart,
    loadAtEnd: loadavg()[0]!,
    runSeconds,
    caseSeconds,
  };
}

/** The one-line JSON record of a case: medians, ratios and targets, for machines to read. */
export function jsonLine(result: CaseResult): string {
  return JSON.stringify({
    case: result.id,
    baseline: result.baseline,
    ratioMetric: result.ratioMetric,
    contenders: result.rows.map((row) => ({
      name: row.contender,
      ...Object.fromEntries(Object.entries(row.medians).map(([key, value]) => [key, round(value)])),
      ratio: round(row.ratio),
      samples: Object.fromEntries(Object.entries(row.samples).map(([key, values]) => [key, values.map(round)])),
    })),
    targets: result.targets.map((target) => ({ target: target.text, measured: target.measured, met: target.met })),
  });
}

function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 1000) / 1000;
}

/** A case as Markdown: its setup, a table of medians and ratios, its targets and notes. */
export function markdownCase(result: CaseResult): string {
  const ratioLabel = result.metrics.find((m) => m.key === result.ratioMetric)!.label;
  const header = ['Contender', ...result.metrics.map((m) => `${m.label} (median)`), `ratio on ${ratioLabel} vs baseline`];
  const lines = [
    `### ${result.title}`,
    '',
    result.setup,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...result.rows.map((row) => {
      const cells = [row.contender, ...result.metrics.map((m) => formatValue(row.medians[m.key]!, m)), formatRatio(row.ratio)];
      return `| ${cells.join(' | ')} |`;
    }),
  ];
  if (result.targets.length > 0) {
    lines.push('', ...result.targets.map((t) => `- ${t.met ? '**met**' : '**missed**'}: ${t.text} — measured ${t.measured}`));
  }
  if (result.notes.length > 0) lines.push('', ...result.notes.map((note) => `> ${note}`));
  return lines.join('\n');
}

export function markdownDocument(results: CaseResult[], machine: Machine, command: string, findings: string[]): string {
  const targets = results.flatMap((r) => r.targets);
  return [
    '# Remembr benchmarks',
    '',
    'Remembr beside the raw Redis client and beside the libraries a TypeScript user would pick instead, measured in',
    'one run against one redis-server that the benchmark starts for itself. Written by `npm run bench`; every figure',
    'is the median of interleaved rounds (contenders take turns, in a rotating order, so a noisy moment of the machine',
    'lands on each alike). The ratio column is against the baseline of each table, taken within each round and then',
    'its median; above 1 is better for the contender. A target line quotes that column; a comparison between two',
    'contenders neither of which is the baseline divides their medians.',
    '',
    '## Machine',
    '',
    `- CPU: ${machine.cpuModel}, ${machine.cores} cores`,
    `- Memory: ${machine.memoryGiB} GiB`,
    `- Node.js ${machine.node}, Redis ${machine.redis} (local, no persistence)`,
    `- Date: ${machine.date}`,
    `- 1-minute load average: ${machine.loadAtStart.toFixed(2)} at the start, ${machine.loadAtEnd.toFixed(2)} at the end (other work shares the machine)`,
    `- Command: \`${command}\``,
    `- The run took ${(machine.runSeconds / 60).toFixed(1)} min (${machine.caseSeconds.map(([id, seconds]) => `${id} ${Math.round(seconds)} s`).join(', ')})`,
    '',
    'The benchmark, redis-server and (for HTTP) the load generator share these cores, so absolute figures are',
    'modest; the ratios are what to compare.',
    '',
    '## Targets',
    '',
    '| Target | Measured | Met |',
    '| --- | --- | --- |',
    ...targets.map((t) => `| ${t.text} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`),
    '',
    ...(findings.length > 0 ? ['## Findings', '', ...findings.map((f) => `- ${f}`), ''] : []),
    '## Cases',
    '',
    results.map(markdownCase).join('\n\n'),
    '',
  ].join('\n');
}
