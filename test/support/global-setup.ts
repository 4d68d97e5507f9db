import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { OBSERVED_DIR } from './documented-statuses.js';
import { LOG_DIR } from './log-capture.js';
import { TEST_SECRETS } from './secrets.js';

/**
 * Before the run: an empty log capture. After it: every captured line is scanned for every secret the suites
 * used; one hit fails the run (the secret itself is never printed, only where it was found).
 */
export function setup(): void {
  rmSync(LOG_DIR, { recursive: true, force: true });
  rmSync(OBSERVED_DIR, { recursive: true, force: true });
}

/** How much of the document the suites exercised (each app already failed its close on an undocumented answer). */
function reportObservedStatuses(): void {
  if (!existsSync(OBSERVED_DIR)) return;
  const pairs = new Set<string>();
  for (const file of readdirSync(OBSERVED_DIR)) {
    for (const [operation, status] of JSON.parse(readFileSync(join(OBSERVED_DIR, file), 'utf8')) as [string, number][]) pairs.add(`${operation} ${status}`);
  }
  const operations = new Set([...pairs].map((pair) => pair.slice(0, pair.lastIndexOf(' '))));
  console.log(`Documented statuses: ${pairs.size} (operation, status) pairs answered across ${operations.size} operations, each checked against the document when its app closed`);
}

export function teardown(): void {
  reportObservedStatuses();
  if (!existsSync(LOG_DIR)) {
    console.log('Secret scan: no log lines were captured in this run');
    return;
  }
  let lines = 0;
  const hits: string[] = [];
  for (const file of readdirSync(LOG_DIR)) {
    const text = readFileSync(join(LOG_DIR, file), 'utf8');
    const fileLines = text.split('\n');
    lines += fileLines.length;
    fileLines.forEach((line, i) => {
      TEST_SECRETS.forEach((secret, s) => {
        if (line.includes(secret) || line.includes(encodeURIComponent(secret))) hits.push(`${file}:${i + 1} holds secret #${s + 1}`);
      });
    });
  }
  console.log(`Secret scan: ${lines} captured log lines, ${TEST_SECRETS.length} secrets, ${hits.length} hits`);
  if (hits.length > 0) {
    // vitest reports an error thrown here but still exits 0, so the failure is set on the exit code too.
    process.exitCode = 1;
    throw new Error(`Secrets found in log lines:\n${hits.slice(0, 20).join('\n')}`);
  }
}
