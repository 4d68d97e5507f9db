import { AsyncLocalStorage } from 'node:async_hooks';

/** What a log line written while serving a request should say about that request. */
export interface RequestContext {
  requestId: string;
}

/**
 * The request being served, carried through every await of its handling. The HTTP shell enters it once per
 * request; the logger reads it (createLogger's mixin), so a cache, session or memory line written on the way
 * carries the request's id without every service being handed a per-request logger.
 */
export const requestContext = new AsyncLocalStorage<RequestContext>();

/** Fields to add to a log line: the current request's id, when there is one. */
export function requestLogFields(): { reqId?: string } {
  const context = requestContext.getStore();
  return context === undefined ? {} : { reqId: context.requestId };
}
