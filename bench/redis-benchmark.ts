import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Requests per second redis-benchmark (Redis's own C load generator) reaches against the benchmark's server: the
 * machine's ceiling for a command, with none of Node in the way. `requests` is split over `clients` connections,
 * each sending `pipeline` commands per round trip; keys are `key:<n>` for n below `keyspace`.
 */
export async function redisBenchmark(options: {
  port: number;
  command: 'get' | 'set';
  clients: number;
  pipeline: number;
  requests: number;
  valueBytes: number;
  keyspace: number;
}): Promise<number> {
  const args = ['-p', String(options.port), '-t', options.command, '-c', String(options.clients), '-n', String(options.requests),
    '-P', String(options.pipeline), '-d', String(options.valueBytes), '-r', String(options.keyspace), '--csv'];
  const { stdout } = await run('redis-benchmark', args);
  // "test","rps",…  then  "GET","56818.18",…
  const row = stdout.trim().split('\n').find((line) => line.startsWith(`"${options.command.toUpperCase()}"`));
  const rps = Number(row?.split(',')[1]?.replaceAll('"', ''));
  if (!Number.isFinite(rps)) throw new Error(`redis-benchmark printed no rate: ${stdout}`);
  return rps;
}
