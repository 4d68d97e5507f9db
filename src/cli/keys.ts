import type { Command } from 'commander';
import { assertId, KEY_PREFIX } from '../keys.js';
import { ValidationError } from '../errors.js';
import { CliError, EXIT, openStore, type CliIo } from './context.js';
import { progress, SCAN_COUNT, ttlsOf } from './scan.js';

export interface KeysReport {
  pattern: string;
  /** Keys the walk looked at. */
  scanned: number;
  /** Keys that matched (without an expiry, with --no-ttl). */
  found: number;
  /** The first `limit` of them. */
  keys: string[];
}

/**
 * Walks Remembr's keys (one namespace's with `namespace`) with SCAN, never KEYS, and with `noTtl` keeps those that
 * have no expiry: the guide's "memory leak" check. TTLs are asked a batch at a time.
 */
export async function findKeys(io: CliIo, options: { noTtl: boolean; namespace?: string; limit: number }): Promise<KeysReport> {
  let namespace: string | undefined;
  try {
    namespace = options.namespace === undefined ? undefined : assertId(options.namespace, 'namespace');
  } catch (err) {
    if (err instanceof ValidationError) throw new CliError(`--namespace ${err.message.replace(/^namespace /, '')}`, EXIT.usage);
    throw err;
  }
  const pattern = namespace === undefined ? `${KEY_PREFIX}:*` : `${KEY_PREFIX}:${namespace}:*`;
  const { store } = await openStore(io);
  try {
    const report: KeysReport = { pattern, scanned: 0, found: 0, keys: [] };
    for await (const batch of store.scan(pattern, SCAN_COUNT)) {
      report.scanned += batch.length;
      let matching = batch;
      if (options.noTtl) {
        const ttls = await ttlsOf(store, batch);
        // -1: no expiry. (-2: gone since the SCAN saw it.)
        matching = batch.filter((_, i) => ttls[i] === -1);
      }
      report.found += matching.length;
      for (const key of matching) if (report.keys.length < options.limit) report.keys.push(key);
      progress(io.isTTY, io.err, `scanned ${report.scanned} keys, ${report.found} found`);
    }
    progress(io.isTTY, io.err, '');
    return report;
  } finally {
    await store.close();
  }
}

export function registerKeys(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('keys')
    .description("walk Remembr's keys with SCAN; with --no-ttl, those without an expiry (exit 3 when any is found)")
    .option('--no-ttl', 'only keys without an expiry')
    .option('--namespace <ns>', 'only keys of one namespace (remembr:<ns>:…)')
    .option('--limit <n>', 'list at most this many keys', (value) => {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < 0) throw new CliError(`--limit must be a whole number (got "${value}")`, EXIT.usage);
      return n;
    }, 20)
    .option('--json', 'print one JSON object instead of text')
    .action(async (options: { ttl: boolean; namespace?: string; limit: number; json?: boolean }) => {
      const noTtl = options.ttl === false;
      const report = await findKeys(io, { noTtl, namespace: options.namespace, limit: options.limit });
      if (options.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
      else {
        const what = noTtl ? 'keys without a TTL' : 'keys';
        io.out(`${report.found} ${what} matching ${report.pattern} (of ${report.scanned} scanned)\n`);
        for (const key of report.keys) io.out(`  ${key}\n`);
        if (report.found > report.keys.length) io.out(`  … and ${report.found - report.keys.length} more (--limit)\n`);
      }
      done(noTtl && report.found > 0 ? EXIT.found : EXIT.ok);
    });
}
