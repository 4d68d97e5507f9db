import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { captureText } from './log-capture.js';
import { freePort } from './redis-server.js';

/** The built service (`node dist/main.js`) as a child process on a free port: the real thing, for end-to-end tests. */
export interface ServiceProcess {
  readonly baseUrl: string;
  readonly port: number;
  /** Everything it wrote to stdout and stderr so far (pino lines). */
  output(): string;
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number | null>;
}

const root = join(import.meta.dirname, '..', '..');
const STARTUP_DEADLINE_MS = 40_000;

export async function startService(env: Record<string, string>, options: { waitForHealth?: boolean } = {}): Promise<ServiceProcess> {
  const main = join(root, 'dist', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run "npm run build" first (npm test does it for you)`);
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [main], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  if (options.waitForHealth !== false) {
    // Generous: on two shared cores, beside other test files, a cold start of Node and the store can take seconds.
    const deadline = Date.now() + STARTUP_DEADLINE_MS;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}:\n${output}`);
      try {
        const res = await fetch(`${baseUrl}/api/v1/health`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`service did not answer health within ${STARTUP_DEADLINE_MS / 1000} s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    baseUrl,
    port,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      captureText(output);
      return code;
    },
  };
}
