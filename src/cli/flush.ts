import type { Command } from 'commander';
import { ValidationError } from '../errors.js';
import { assertScopedPattern, makePattern } from '../keys.js';
import { CliError, EXIT, openStore, type CliIo } from './context.js';
import { progress, SCAN_COUNT } from './scan.js';

/** The pattern of one namespace, checked the way deletePattern checks it. */
function namespacePattern(namespace: string): string {
  try {
    const pattern = makePattern(namespace);
    assertScopedPattern(pattern);
    return pattern;
  } catch (err) {
    if (err instanceof ValidationError) throw new CliError(`NAMESPACE ${JSON.stringify(namespace)} is not a namespace: ${err.message}`, EXIT.usage);
    throw err;
  }
}

/**
 * Counts (without --yes) or deletes (with it) every key of one namespace: deletePattern's walk, SCAN a batch and
 * UNLINK it, so Redis never blocks on one big command, and only inside `remembr:<namespace>:`.
 */
export async function flush(io: CliIo, namespace: string, yes: boolean): Promise<{ pattern: string; matched: number; deleted: number }> {
  const pattern = namespacePattern(namespace);
  const { store } = await openStore(io);
  try {
    let matched = 0;
    let deleted = 0;
    for await (const batch of store.scan(pattern, SCAN_COUNT)) {
      matched += batch.length;
      if (yes) deleted += await store.delete(batch);
      progress(io.isTTY, io.err, yes ? `removed ${deleted} keys…` : `counted ${matched} keys…`);
    }
    progress(io.isTTY, io.err, '');
    return { pattern, matched, deleted };
  } finally {
    await store.close();
  }
}

export function registerFlush(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('flush')
    .description('delete every key of one Remembr namespace (SCAN + UNLINK in batches); refuses without --yes')
    .argument('<namespace>', 'the namespace: remembr:<namespace>:… is deleted, nothing else')
    .option('--yes', 'really delete')
    .option('--json', 'print one JSON object instead of text')
    .action(async (namespace: string, options: { yes?: boolean; json?: boolean }) => {
      const yes = options.yes === true;
      const result = await flush(io, namespace, yes);
      if (options.json) io.out(`${JSON.stringify({ ...result, refused: !yes }, null, 2)}\n`);
      else if (yes) io.out(`removed ${result.deleted} keys matching ${result.pattern}\n`);
      if (!yes) {
        io.err(`remembr: refusing to delete ${result.matched} keys matching ${result.pattern} without --yes\n`);
        done(EXIT.usage);
        return;
      }
      done(EXIT.ok);
    });
}
