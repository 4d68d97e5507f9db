import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';

/**
 * One deadline for everything one request asks of the store. The HTTP shell opens a scope per request
 * (`withinDeadline`), and FailFast gives each call in it only what is left of the request's bound instead of a
 * full command timeout of its own: the rate-limit check and the operation together answer within
 * REDIS_COMMAND_TIMEOUT_MS, not twice it. A call started with nothing left is not sent at all, so it is refused as
 * not applied.
 */
const scope = new AsyncLocalStorage<{ readonly expiresAt: number }>();

/** Runs `fn` (and everything it starts) under a deadline `ms` from now, on the performance.now() clock. */
export function withinDeadline<T>(ms: number, fn: () => T): T {
  return scope.run({ expiresAt: performance.now() + ms }, fn);
}

/** When the current scope's deadline passes (performance.now() ms), or undefined outside any scope. */
export function currentDeadline(): number | undefined {
  return scope.getStore()?.expiresAt;
}
