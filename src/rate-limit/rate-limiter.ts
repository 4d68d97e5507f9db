import type { FailMode } from '../config.js';
import { RateLimitRefusedError, StoreError, ValidationError } from '../errors.js';
import { hashTag, makeKey } from '../keys.js';
import { silentLogger, type Logger } from '../observability/logger.js';
import { Metrics, type Counter } from '../observability/metrics.js';
import type { Reply, Store } from '../store/port.js';
import { RateLimitCharge, type CheckStep } from './charge.js';

export type RateLimitAlgorithm = 'fixed-window' | 'gcra';

/**
 * Why a decision came out as it did. `store_unavailable` means the store did not answer and the limiter's
 * failure policy decided instead: allowed when failing open, refused when failing closed.
 */
export type RateLimitReason = 'allowed' | 'limit_exceeded' | 'store_unavailable';

export interface RateLimitDecision {
  allowed: boolean;
  /** What the window allows in total. */
  limit: number;
  /** What is left for this identity right now (0 when refused for the limit). */
  remaining: number;
  /** Until the window ends (fixed window) or the allowance is whole again (GCRA), in milliseconds. */
  resetMs: number;
  /** `resetMs` rounded up to whole seconds, as the RateLimit-Reset header carries it. */
  resetSeconds: number;
  /** When refused: how long until a check of the same cost could pass, in milliseconds. */
  retryAfterMs?: number;
  /** `retryAfterMs` rounded up to whole seconds (at least 1), as the Retry-After header carries it. */
  retryAfterSeconds?: number;
  reason: RateLimitReason;
}

export interface RateLimiterOptions {
  /** How much one identity may spend per window (each check spends its cost, 1 by default). */
  limit: number;
  /** Length of the window; fractions allowed, down to one millisecond. @default 60 */
  windowSeconds?: number;
  /**
   * `fixed-window` is the guide's counter: it resets when the window that the first check opened ends, so a burst
   * of `limit` at the end of one window and another at the start of the next can pass back to back.
   * `gcra` spreads the same allowance evenly: a full burst of `limit`, then one more every `window / limit`.
   * @default 'fixed-window'
   */
  algorithm?: RateLimitAlgorithm;
  /** What is being limited: part of every key and the `limiter` label of the metric. @default 'requests' */
  name?: string;
  /** What to decide when the store does not answer: let the check pass (`open`) or refuse it (`closed`). @default 'open' */
  failMode?: FailMode;
  logger?: Logger;
  metrics?: Metrics;
}

/** A rate limiter over the Store port. Every check is one atomic script; no counter is ever left without expiry. */
export interface RateLimiter {
  readonly name: string;
  readonly algorithm: RateLimitAlgorithm;
  readonly limit: number;
  readonly windowSeconds: number;
  readonly failMode: FailMode;
  /**
   * Spends `cost` of the identity's allowance when it fits; a refused check spends nothing. Never rejects because
   * the store is down: the failure policy answers instead, with `reason: 'store_unavailable'`. Rejects with
   * ValidationError for an identity that could not be a key part or a cost that is not a whole number from 1 to limit.
   */
  check(identity: string, cost?: number, options?: Pick<ChargeOptions, 'hashTag'>): Promise<RateLimitDecision>;
  /** What a check of cost 1 would decide now, without spending anything. Same failure policy as `check`. */
  peek(identity: string, options?: Pick<ChargeOptions, 'hashTag'>): Promise<RateLimitDecision>;
  /**
   * The check of one request, not sent yet: run `fn` under `withCharge(charge, fn)` and the first store script
   * of it whose keys share the charge's hash slot carries the check in the same round trip (see charge.ts);
   * `charge.settle()` checks on its own when nothing carried it. Same validation and failure policy as `check`.
   */
  charge(identity: string, options?: ChargeOptions): RateLimitCharge;
}

/** Where a charge's key lives and what a refusal throws. */
export interface ChargeOptions {
  /** @default 1 */
  cost?: number;
  /**
   * The hash tag to keep the identity's key under instead of the identity itself: the tag of the keys the
   * request works on (its user's id), so that one script can hold both on Redis Cluster.
   */
  hashTag?: string;
  /**
   * What a store call throws when the charge is refused (over the limit, or failing closed): by default
   * RateLimitRefusedError with the decision.
   */
  refusal?: (decision: RateLimitDecision) => Error;
}

const DECISIONS_METRIC = 'remembr_rate_limit_decisions_total';
const DECISIONS_HELP = 'Rate limit decisions by outcome (allowed, refused, failed_open, failed_closed)';

/**
 * What the two algorithms share: validating input, naming keys, and the failure policy with its log line and
 * metric. A subclass supplies the two store calls.
 */
export abstract class StoreRateLimiter implements RateLimiter {
  abstract readonly algorithm: RateLimitAlgorithm;
  readonly name: string;
  readonly limit: number;
  readonly windowSeconds: number;
  readonly failMode: FailMode;
  protected readonly store: Store;
  protected readonly windowMs: number;
  readonly #logger: Logger;
  readonly #metrics: Metrics;
  /** Set while the store is failing, so an outage is logged once when it starts and once when it ends. */
  #failingSince: number | undefined;
  #failedChecks = 0;

  constructor(store: Store, options: RateLimiterOptions) {
    const { limit, windowSeconds = 60, name = 'requests', failMode = 'open' } = options;
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new ValidationError(`limit must be a whole number of at least 1 (got ${String(limit)})`, 'limit');
    }
    if (typeof windowSeconds !== 'number' || !Number.isFinite(windowSeconds) || Math.round(windowSeconds * 1000) < 1) {
      throw new ValidationError(`windowSeconds must be a positive number of at least 0.001 (got ${String(windowSeconds)})`, 'windowSeconds');
    }
    if (failMode !== 'open' && failMode !== 'closed') {
      throw new ValidationError(`failMode must be 'open' or 'closed' (got ${String(failMode)})`, 'failMode');
    }
    makeKey('ratelimit', name); // refuses a name that could not be a key part
    this.store = store;
    this.limit = limit;
    this.windowSeconds = windowSeconds;
    this.windowMs = Math.round(windowSeconds * 1000);
    this.name = name;
    this.failMode = failMode;
    this.#logger = options.logger ?? silentLogger;
    this.#metrics = options.metrics ?? new Metrics();
  }

  async check(identity: string, cost = 1, options: Pick<ChargeOptions, 'hashTag'> = {}): Promise<RateLimitDecision> {
    const key = this.key(identity, options.hashTag);
    this.#assertCost(cost);
    return this.#decide(() => this.consume(key, cost));
  }

  charge(identity: string, options: ChargeOptions = {}): RateLimitCharge {
    const cost = options.cost ?? 1;
    const key = this.#chargeKey(identity, options.hashTag);
    this.#assertCost(cost);
    // A request's charge is of cost 1: its arguments and reader are made once, not per request.
    const unit = cost === 1 ? (this.#unit ??= { args: this.checkArgs(1).map(String), read: (reply) => this.#settled(this.readCheck(reply, 1)) }) : undefined;
    return new RateLimitCharge({
      store: this.store,
      key,
      step: this.checkStep,
      args: unit?.args ?? this.checkArgs(cost).map(String),
      read: unit?.read ?? ((reply) => this.#settled(this.readCheck(reply, cost))),
      degrade: this.#degrade,
      refusal: options.refusal ?? this.#refusal,
    });
  }

  #unit: { args: string[]; read: (reply: Reply) => RateLimitDecision } | undefined;
  readonly #degrade = (err: StoreError) => this.#degraded(err);
  readonly #refusal = (decision: RateLimitDecision) => new RateLimitRefusedError(this.name, decision);

  /** Keys of recent charges, by hash tag and identity: every request of a caller charges the same key. */
  readonly #chargeKeys = new Map<string | undefined, Map<string, string>>();
  #chargeKeyCount = 0;

  #chargeKey(identity: string, tag: string | undefined): string {
    let byIdentity = this.#chargeKeys.get(tag);
    let key = byIdentity?.get(identity);
    if (key === undefined) {
      key = this.key(identity, tag);
      // Bounded: running open there is one identity per client address.
      if (this.#chargeKeyCount >= 10_000) {
        this.#chargeKeys.clear();
        this.#chargeKeyCount = 0;
        byIdentity = undefined;
      }
      if (byIdentity === undefined) {
        byIdentity = new Map();
        this.#chargeKeys.set(tag, byIdentity);
      }
      byIdentity.set(identity, key);
      this.#chargeKeyCount++;
    }
    return key;
  }

  #assertCost(cost: number): void {
    if (!Number.isSafeInteger(cost) || cost < 1 || cost > this.limit) {
      throw new ValidationError(`cost must be a whole number from 1 to the limit ${this.limit} (got ${String(cost)})`, 'cost');
    }
  }

  async peek(identity: string, options: Pick<ChargeOptions, 'hashTag'> = {}): Promise<RateLimitDecision> {
    const key = this.key(identity, options.hashTag);
    return this.#decide(() => this.inspect(key));
  }

  /** Spends `cost` when it fits, in one atomic store call. */
  protected async consume(key: string, cost: number): Promise<RateLimitDecision> {
    return this.readCheck(await this.store.run(this.checkStep.script, [key], this.checkArgs(cost)), cost);
  }
  /** The check script (one key: the identity's), and how its reply says allowed, in Lua and in JavaScript. */
  protected abstract readonly checkStep: CheckStep;
  /** The check script's arguments for a check of `cost`. */
  protected abstract checkArgs(cost: number): Array<string | number>;
  /** The decision the check script's reply stands for. */
  protected abstract readCheck(reply: Reply, cost: number): RateLimitDecision;
  /** Reads the state as a check of cost 1 would see it, in one store call. */
  protected abstract inspect(key: string): Promise<RateLimitDecision>;
  /** A short tag for the key, so switching algorithms never reads one's state as the other's. */
  protected abstract readonly keyTag: string;

  /**
   * The key holding an identity's state: `remembr:ratelimit:{<identity>}:<name>:<algorithm>`, or with a hash tag
   * `remembr:ratelimit:{<tag>}:<identity>:<name>:<algorithm>` (the identity stays in the key, so two identities
   * under one tag never share a counter).
   */
  key(identity: string, tag?: string): string {
    if (typeof identity !== 'string' || identity.length === 0 || identity.length > 200) {
      throw new ValidationError('identity must be a string of 1 to 200 characters', 'identity');
    }
    try {
      return tag === undefined
        ? makeKey('ratelimit', hashTag(identity), this.name, this.keyTag)
        : makeKey('ratelimit', hashTag(tag), identity, this.name, this.keyTag);
    } catch {
      throw new ValidationError(`${tag === undefined ? 'identity' : 'identity and hash tag'} may only contain letters, digits and _ - . @ + = ~ /`, 'identity');
    }
  }

  protected decision(allowed: boolean, remaining: number, resetMs: number, retryAfterMs?: number): RateLimitDecision {
    const resetSeconds = Math.ceil(Math.max(0, resetMs) / 1000);
    if (allowed) return { allowed, limit: this.limit, remaining, resetMs, resetSeconds, reason: 'allowed' };
    const wait = Math.max(0, retryAfterMs ?? resetMs);
    return {
      allowed,
      limit: this.limit,
      remaining,
      resetMs,
      resetSeconds,
      retryAfterMs: wait,
      retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)),
      reason: 'limit_exceeded',
    };
  }

  async #decide(ask: () => Promise<RateLimitDecision>): Promise<RateLimitDecision> {
    let decision: RateLimitDecision;
    try {
      decision = await ask();
    } catch (err) {
      // Only an outage is the failure policy's to answer; any other error is a bug and must surface.
      if (!(err instanceof StoreError)) throw err;
      return this.#degraded(err);
    }
    return this.#settled(decision);
  }

  /** A decision the store made: counted, and the end of an outage logged. */
  #settled(decision: RateLimitDecision): RateLimitDecision {
    if (this.#failingSince !== undefined) {
      this.#logger.info(
        { limiter: this.name, failMode: this.failMode, failedChecks: this.#failedChecks, outageMs: Date.now() - this.#failingSince },
        'Rate limiter reaches the store again',
      );
      this.#failingSince = undefined;
      this.#failedChecks = 0;
    }
    this.#count(decision.allowed ? 'allowed' : 'refused');
    return decision;
  }

  #degraded(err: StoreError): RateLimitDecision {
    this.#failedChecks++;
    if (this.#failingSince === undefined) {
      this.#failingSince = Date.now();
      this.#logger.warn(
        { limiter: this.name, failMode: this.failMode, err: err.message },
        `Rate limiter cannot reach the store: failing ${this.failMode} until it answers`,
      );
    }
    this.#count(this.failMode === 'open' ? 'failed_open' : 'failed_closed');
    const open = this.failMode === 'open';
    return {
      allowed: open,
      limit: this.limit,
      // Nothing was counted, so nothing is known about what is left.
      remaining: open ? this.limit : 0,
      resetMs: this.windowMs,
      resetSeconds: Math.ceil(this.windowMs / 1000),
      ...(open ? {} : { retryAfterMs: 1000, retryAfterSeconds: 1 }),
      reason: 'store_unavailable',
    };
  }

  /** The decision counters, by outcome, each bound on its first count. */
  readonly #outcomes = new Map<string, Counter>();

  #count(outcome: string): void {
    let counter = this.#outcomes.get(outcome);
    if (counter === undefined) {
      counter = this.#metrics.counter(DECISIONS_METRIC, { limiter: this.name, algorithm: this.algorithm, outcome }, DECISIONS_HELP);
      this.#outcomes.set(outcome, counter);
    }
    counter.inc();
  }
}

/** The integer array a limiter script answers, checked for its length. */
export function integers(reply: Reply, count: 2): [number, number];
export function integers(reply: Reply, count: 4): [number, number, number, number];
export function integers(reply: Reply, count: number): number[] {
  if (!Array.isArray(reply) || reply.length !== count || !reply.every((item) => typeof item === 'number')) {
    throw new Error(`rate limit script answered ${JSON.stringify(reply)}, not ${count} integers`);
  }
  return reply as number[];
}
