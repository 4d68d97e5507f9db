import type { AsyncLocalStorage } from 'node:async_hooks';
import { requestScopeStorage } from '../store/deadline.js';

/** What a log line written while serving a request should say about that request. */
export interface RequestContext {
  requestId: string;
}

/**
 * The request being served, carried through every await of its handling. The HTTP shell enters it once per
 * request; the logger reads it (createLogger's mixin), so a cache, session or memory line written on the way
 * carries the request's id without every service being handed a per-request logger.
 *
 * It is the request scope's storage (store/deadline.ts), which also carries the request's deadline and rate-limit
 * charge: one AsyncLocalStorage in use instead of two, as each one costs every promise the process makes. A scope
 * entered here has no deadline; `withinDeadline` inside it keeps its id.
 */
export const requestContext = requestScopeStorage as unknown as AsyncLocalStorage<RequestContext>;

/**
 * Runs `fn` (and everything it starts) as the request `requestId`, in a scope of its own: what the HTTP shell opens
 * once per request. Its deadline and charge are set later, on this same scope (startDeadline, attachCharge).
 */
export function withinRequest<T>(requestId: string, fn: () => T): T {
  // Every field from the start, so setting one later does not change the object's shape.
  return requestScopeStorage.run({ requestId, expiresAt: undefined, charge: undefined }, fn);
}

/** Fields to add to a log line: the current request's id, when there is one. */
export function requestLogFields(): { reqId?: string } {
  const requestId = requestScopeStorage.getStore()?.requestId;
  return requestId === undefined ? {} : { reqId: requestId };
}
