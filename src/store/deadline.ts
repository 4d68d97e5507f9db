import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';

/**
 * One deadline for everything one request asks of the store. The HTTP shell opens a scope per request
 * (`withinDeadline`), and FailFast gives each call in it only what is left of the request's bound instead of a
 * full command timeout of its own: the rate-limit check and the operation together answer within
 * REDIS_COMMAND_TIMEOUT_MS, not twice it. A call started with nothing left is not sent at all, so it is refused as
 * not applied.
 */
const scope = new AsyncLocalStorage<RequestScope>();

/**
 * What one request carries through everything it starts: its deadline, and its pending rate-limit charge
 * (rate-limit/charge.ts). One AsyncLocalStorage for both: with Node 20's async_hooks storage, every storage in use
 * adds a copy to every promise the process makes, so a request's other companions ride on this one.
 */
export interface RequestScope {
  readonly expiresAt: number;
  /** Set by the rate-limit shell for the rest of the request; typed by its owner (charge.ts). */
  charge?: unknown;
}

/** Runs `fn` (and everything it starts) under a deadline `ms` from now, on the performance.now() clock. */
export function withinDeadline<T>(ms: number, fn: () => T): T {
  return scope.run({ expiresAt: performance.now() + ms }, fn);
}

/** When the current scope's deadline passes (performance.now() ms), or undefined outside any scope. */
export function currentDeadline(): number | undefined {
  return scope.getStore()?.expiresAt;
}

/** The current request scope, or undefined outside any. */
export function requestScope(): RequestScope | undefined {
  return scope.getStore();
}

/** Runs `fn` (and everything it starts) in `within`, a scope of its own. */
export function withinScope<T>(within: RequestScope, fn: () => T): T {
  return scope.run(within, fn);
}
