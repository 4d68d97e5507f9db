import type { Store } from '../store/port.js';
import { FixedWindowRateLimiter } from './fixed-window.js';
import { GcraRateLimiter } from './gcra.js';
import type { RateLimiter, RateLimiterOptions } from './rate-limiter.js';

/** A limiter of the chosen algorithm (fixed window unless told otherwise) over any Store. */
export function createRateLimiter(store: Store, options: RateLimiterOptions): RateLimiter {
  return options.algorithm === 'gcra' ? new GcraRateLimiter(store, options) : new FixedWindowRateLimiter(store, options);
}
