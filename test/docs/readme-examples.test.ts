import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { ALICE_KEY } from '../support/secrets.js';
import { startService, type ServiceProcess } from '../support/service.js';

/**
 * Every README code block that starts with `// example: <name>` is run here, as a user would run it: a file
 * inside the project importing `remembr` (the package's own exports, so `npm test` builds dist first), against a
 * redis-server of this test's own, with the built service running on it for the examples of the HTTP API
 * (`REMEMBR_URL`, `REMEMBR_API_KEY`). Examples check their results with node:assert, so a README that drifts from
 * the code fails CI.
 */
const root = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const examples = [...readme.matchAll(/```ts\n\/\/ example: ([\w-]+)\n([\s\S]*?)```/g)].map(([, name, code]) => ({ name: name!, code: code! }));
const workDir = join(root, '.tmp', 'readme-examples');

function run(file: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: root, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('README examples', () => {
  let server: RedisServer;
  let service: ServiceProcess;
  beforeAll(async () => {
    server = await startRedisServer();
    service = await startService({ REDIS_URL: server.url, REMEMBR_API_KEYS: `alice:${ALICE_KEY}`, LOG_LEVEL: 'warn' });
    mkdirSync(workDir, { recursive: true });
  });
  afterAll(async () => {
    await service?.stop();
    await server?.stop();
  });

  it('has examples to run', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples.map((e) => [e.name, e] as const))('%s runs', async (name, example) => {
    const file = join(workDir, `${name}.ts`);
    writeFileSync(file, example.code);
    const result = await run(file, { REDIS_URL: server.url, LOG_LEVEL: 'silent', REMEMBR_URL: service.baseUrl, REMEMBR_API_KEY: ALICE_KEY });
    expect(result.code, result.output.slice(-4000)).toBe(0);
  });
});
