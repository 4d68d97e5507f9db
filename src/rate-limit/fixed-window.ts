import type { Reply } from '../store/port.js';
import { defineScript } from '../store/script.js';
import type { CheckStep } from './charge.js';
import { integers, StoreRateLimiter, type RateLimitDecision } from './rate-limiter.js';

/** KEYS: counter. ARGV: limit, window ms, cost. Returns {count, ttl ms}. */
const checkScript = defineScript('rate-limit-fixed-window', new URL('./fixed-window.lua', import.meta.url), (db, [key], [limitArg, windowArg, costArg]) => {
  const limit = Number(limitArg);
  const cost = Number(costArg);
  const count = db.incrBy(key!, cost);
  let ttl = db.pttl(key!);
  if (ttl < 0) {
    db.pexpire(key!, Number(windowArg));
    ttl = Number(windowArg);
  }
  if (count > limit && count - cost < limit) db.incrBy(key!, -cost);
  return [count, ttl];
});

/** The check allows what stays within the limit (ARGV[1]); a charged script runs its operation only then. */
const checkStep: CheckStep = {
  script: checkScript,
  allowsLua: 'reply[1] <= tonumber(ARGV[1])',
  allows: (reply, [limit]) => (reply as number[])[0]! <= Number(limit),
};

/** KEYS: counter. ARGV: window ms. Returns {count, ttl ms}. */
const peekScript = defineScript('rate-limit-fixed-window-peek', new URL('./fixed-window-peek.lua', import.meta.url), (db, [key], [windowArg]) => {
  const count = Number(db.getString(key!) ?? '0');
  let ttl = db.pttl(key!);
  if (ttl === -1) {
    db.pexpire(key!, Number(windowArg));
    ttl = Number(windowArg);
  }
  return [count, ttl];
}, [], { allowOom: true });

/**
 * The guide's limiter, done in one step: a counter per identity that the first check of a window creates with the
 * window as its expiry. The guide incremented and then set the expiry in a second call, so a failure between the two
 * left a counter that never expired and blocked its user for good; here both happen inside one script, and a
 * counter found without expiry gets one.
 */
export class FixedWindowRateLimiter extends StoreRateLimiter {
  readonly algorithm = 'fixed-window' as const;
  protected readonly keyTag = 'fw';

  protected readonly checkStep = checkStep;

  protected checkArgs(cost: number): number[] {
    return [this.limit, this.windowMs, cost];
  }

  protected readCheck(reply: Reply, cost: number): RateLimitDecision {
    const [count, ttl] = integers(reply, 2);
    const allowed = count <= this.limit;
    // A refused check spent nothing: what is left is what was left before it.
    const spent = allowed ? count : count - cost;
    return this.decision(allowed, Math.max(0, this.limit - spent), ttl);
  }

  protected async inspect(key: string): Promise<RateLimitDecision> {
    const [count, ttl] = integers(await this.store.run(peekScript, [key], [this.windowMs]), 2);
    // No window open yet: the next check would open a whole one.
    const resetMs = ttl < 0 ? this.windowMs : ttl;
    return this.decision(count + 1 <= this.limit, Math.max(0, this.limit - count), resetMs);
  }
}
