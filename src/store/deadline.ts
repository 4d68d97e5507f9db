import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';

/**
 * One deadline for everything one request asks of the store. The HTTP shell opens a scope per request, and
 * FailFast gives each call in it only what is left of the request's bound instead of a full command timeout of its
 * own: the rate-limit check and the operation together answer within REDIS_COMMAND_TIMEOUT_MS, not twice it. A
 * call started with nothing left is not sent at all, so it is refused as not applied.
 *
 * The same storage carries the rest of what a request takes along through everything it starts: its pending
 * rate-limit charge (rate-limit/charge.ts) and its id for log lines (observability/request-context.ts). One
 * AsyncLocalStorage for all of them: with Node 20's async_hooks storage, every storage in use adds a copy to every
 * promise the process makes, so a request's companions ride on this one.
 */
const scope = new AsyncLocalStorage<RequestScope>();

/** What one request carries through everything it starts. */
export interface RequestScope {
  /**
   * When the request's deadline passes (performance.now() ms); absent, no deadline. Set once, when the scope is
   * opened or by `startDeadline`.
   */
  expiresAt?: number;
  /** Set by the rate-limit shell for the rest of the request; typed by its owner (charge.ts). */
  charge?: unknown;
  /** The id of the request being served, for the log lines written while serving it. */
  requestId?: string;
}

/** The storage itself, for the modules that give the scope's fields their meaning (request-context.ts). */
export const requestScopeStorage = scope;

/**
 * Runs `fn` (and everything it starts) under a deadline `ms` from now, on the performance.now() clock, in a scope
 * of its own that keeps the enclosing request's id (not its charge).
 */
export function withinDeadline<T>(ms: number, fn: () => T): T {
  const requestId = scope.getStore()?.requestId;
  return scope.run(requestId === undefined ? { expiresAt: performance.now() + ms } : { expiresAt: performance.now() + ms, requestId }, fn);
}

/**
 * Starts the current scope's deadline, `ms` from now, without the cost of a scope of its own: what the HTTP shell
 * does once per request, in the scope it opened for it. False when there is no scope or it has a deadline already
 * (use withinDeadline then).
 */
export function startDeadline(ms: number): boolean {
  const current = scope.getStore();
  if (current === undefined || current.expiresAt !== undefined) return false;
  current.expiresAt = performance.now() + ms;
  return true;
}

/** When the current scope's deadline passes (performance.now() ms), or undefined outside any deadline. */
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
