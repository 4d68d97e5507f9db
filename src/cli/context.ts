import { loadConfig, type Config } from '../config.js';
import { ConfigError } from '../errors.js';
import { describeStore } from '../config.js';
import { silentLogger } from '../observability/logger.js';
import { createStore } from '../store/create-store.js';
import type { Store } from '../store/port.js';

/** Exit codes a script can rely on. */
export const EXIT = {
  /** Done, and the store is healthy. */
  ok: 0,
  /** The store is unreachable or unhealthy, or the command failed against it. */
  unhealthy: 1,
  /** Bad usage or configuration (an unknown option, a bad REDIS_URL, a refused flush without --yes). */
  usage: 2,
  /** `keys --no-ttl` found keys without an expiry (so a scheduled check can alert). */
  found: 3,
} as const;

/** Where a command writes and what it reads: the process's in `main.ts`, captured ones in tests. */
export interface CliIo {
  env: Record<string, string | undefined>;
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress is drawn only there). */
  isTTY: boolean;
}

/** A failure that ends the command with a message (never a stack trace) and an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The service's configuration from the same environment; a bad value is a usage error naming the variable. */
export function configFrom(io: CliIo): Config {
  try {
    return loadConfig(io.env);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
}

/** The store the service would use, from the same environment (REDIS_URL and the rest, checked the same way). */
export async function openStore(io: CliIo): Promise<{ store: Store; config: Config; where: string }> {
  const config = configFrom(io);
  if (!config.redisUrl && !config.redisSentinels) {
    throw new CliError(
      'REDIS_URL is not set: the CLI inspects a Redis server (the embedded store lives inside the service process and cannot be reached from outside)',
      EXIT.usage,
    );
  }
  const where = describeStore(config);
  const store = await createStore(config, silentLogger);
  return { store, config, where };
}
