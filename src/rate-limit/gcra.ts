import { ValidationError } from '../errors.js';
import type { MemoryDb } from '../store/memory-db.js';
import type { Reply, Store } from '../store/port.js';
import { defineScript } from '../store/script.js';
import type { CheckStep } from './charge.js';
import { integers, StoreRateLimiter, type RateLimiterOptions, type RateLimitDecision } from './rate-limiter.js';

/** The memory store's clock in microseconds, the unit the Lua gets from Redis TIME. */
const nowMicros = (db: MemoryDb) => db.now() * 1000;

/** The TAT, clamped to now: a bucket that refilled long ago is simply full. */
function currentTat(db: MemoryDb, key: string, now: number): number {
  const stored = Number(db.getString(key));
  return Number.isFinite(stored) && stored > now ? stored : now;
}

/** The Lua twin of `currentTat`, shared by both scripts. */
const TAT_PRELUDE = [new URL('./gcra-tat.lua', import.meta.url)];

/** KEYS: TAT. ARGV: interval µs, capacity µs, cost. Returns {allowed, remaining, used µs, retry after µs}. */
const checkScript = defineScript('rate-limit-gcra', new URL('./gcra.lua', import.meta.url), (db, [key], [intervalArg, capacityArg, costArg]) => {
  const now = nowMicros(db);
  const interval = Number(intervalArg);
  const capacity = Number(capacityArg);
  const tat = currentTat(db, key!, now);
  const used = tat + Number(costArg) * interval - now;
  if (used > capacity) {
    if (tat > now && db.pttl(key!) === -1) db.pexpire(key!, Math.ceil((tat - now) / 1000));
    return [0, Math.floor((capacity - (tat - now)) / interval), tat - now, used - capacity];
  }
  db.setString(key!, String(now + used), Math.ceil(used / 1000));
  return [1, Math.floor((capacity - used) / interval), used, 0];
}, TAT_PRELUDE);

/** The check's first reply element says allowed (1) or refused (0); a charged script runs its operation only on 1. */
const checkStep: CheckStep = { script: checkScript, allowsLua: 'reply[1] == 1', allows: (reply) => (reply as number[])[0] === 1 };

/** KEYS: TAT. ARGV: interval µs, capacity µs. Returns what a check of cost 1 would, without spending. */
const peekScript = defineScript('rate-limit-gcra-peek', new URL('./gcra-peek.lua', import.meta.url), (db, [key], [intervalArg, capacityArg]) => {
  const now = nowMicros(db);
  const interval = Number(intervalArg);
  const capacity = Number(capacityArg);
  const used = currentTat(db, key!, now) - now;
  if (used > 0 && db.pttl(key!) === -1) db.pexpire(key!, Math.ceil(used / 1000));
  const over = used + interval - capacity;
  return over > 0 ? [0, 0, used, over] : [1, Math.floor((capacity - used) / interval), used, 0];
}, TAT_PRELUDE, { allowOom: true });

/**
 * The generic cell rate algorithm: one key per identity holding the time at which its allowance would be whole
 * again. A full burst of `limit` passes at once, then one more every `window / limit` — no cliff at a window's
 * edge, and a single GET/SET per check. Time comes from the server (Redis TIME), so clocks of the callers never
 * matter; on the memory store it is the store's clock.
 */
export class GcraRateLimiter extends StoreRateLimiter {
  readonly algorithm = 'gcra' as const;
  protected readonly keyTag = 'gcra';
  /** Microseconds between two units of allowance. Rounded down, so a full burst of `limit` always fits. */
  readonly #intervalUs: number;
  readonly #capacityUs: number;

  constructor(store: Store, options: RateLimiterOptions) {
    super(store, options);
    this.#intervalUs = Math.floor((this.windowMs * 1000) / this.limit);
    if (this.#intervalUs < 1) {
      throw new ValidationError(`limit ${this.limit} is more than one per microsecond of a ${this.windowSeconds} s window`, 'limit');
    }
    this.#capacityUs = this.#intervalUs * this.limit;
  }

  protected readonly checkStep = checkStep;

  protected checkArgs(cost: number): number[] {
    return [this.#intervalUs, this.#capacityUs, cost];
  }

  protected readCheck(reply: Reply): RateLimitDecision {
    return this.#toDecision(reply);
  }

  protected async inspect(key: string): Promise<RateLimitDecision> {
    return this.#toDecision(await this.store.run(peekScript, [key], [this.#intervalUs, this.#capacityUs]));
  }

  #toDecision(reply: Reply): RateLimitDecision {
    const [allowed, remaining, usedUs, retryUs] = integers(reply, 4);
    return this.decision(allowed === 1, Math.max(0, remaining), usedUs / 1000, retryUs / 1000);
  }
}
