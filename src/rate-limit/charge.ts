import { createHash } from 'node:crypto';
import { StoreError, StoreUnavailableError } from '../errors.js';
import { requestScope, withinScope, type RequestScope } from '../store/deadline.js';
import { hashSlot } from '../store/hash-slot.js';
import type { Reply, Script, Store } from '../store/port.js';
import type { RateLimitDecision } from './rate-limiter.js';

/**
 * One round trip per counted request. A request's rate-limit check used to be its own script, awaited before the
 * operation ran its own: two round trips, and half of what a cheap request cost. Now the check is a *charge*: the
 * HTTP hook (or any caller) makes one with `limiter.charge()` and runs the request under `withCharge`, without
 * waiting. The first store script the request runs whose keys share the charge's hash slot carries it: the
 * store runs one composed script, the limiter's check and then, only when the check allows, the operation, and
 * answers both in one reply. A refused check throws the charge's refusal from that store call, with nothing of the
 * operation applied (it never ran). Every other store call of the request (a plain GET, a script in another slot,
 * a second call while the first is on the wire) waits for the decision first, checking on its own if nobody has
 * carried it, so no write ever lands before a refused check. A request that never reaches the store is counted by
 * `settle()`, which the HTTP shell calls before it answers: every charge is counted exactly once.
 *
 * The composed script is made once per (check, operation) pair, with its own SHA (see `chargedScript`).
 */

/** A limiter's check as a charge runs it: its script over one key, and how its reply says "allowed". */
export interface CheckStep {
  readonly script: Script;
  /** A Lua expression over `reply` (the check script's reply) and `ARGV` (its arguments): true when allowed. */
  readonly allowsLua: string;
  /** The same in JavaScript, for the memory store's twin. */
  allows(reply: Reply, args: string[]): boolean;
}

/** What a limiter gives a charge: where its check goes, and how the limiter reads and counts the outcome. */
export interface ChargeParts {
  /** The limiter's store, for a check on its own. */
  store: Store;
  key: string;
  step: CheckStep;
  args: string[];
  /** The decision a check reply stands for, counted by the limiter. */
  read(reply: Reply): RateLimitDecision;
  /** The failure policy's decision when the store did not answer, counted and logged by the limiter. */
  degrade(err: StoreError): RateLimitDecision;
  refusal(decision: RateLimitDecision): Error;
}

/**
 * Runs `fn` (and everything it starts) with `charge` pending, for its store calls to carry, under the deadline of
 * the scope it is called in (none outside one).
 */
export function withCharge<T>(charge: RateLimitCharge, fn: () => T): T {
  return withinScope({ ...withoutCharge(requestScope()), charge }, fn);
}

/** The enclosing scope's deadline and request id, without its charge. */
function withoutCharge(enclosing: RequestScope | undefined): RequestScope {
  return enclosing === undefined ? {} : { expiresAt: enclosing.expiresAt, requestId: enclosing.requestId };
}

/**
 * Makes `charge` the pending charge of the current request scope (withinDeadline) for the rest of the request:
 * what the HTTP shell does, without the cost of a scope of its own. False when there is no scope, or it already
 * has a charge: then use withCharge.
 */
export function attachCharge(charge: RateLimitCharge): boolean {
  const scope = requestScope();
  if (scope === undefined || scope.charge !== undefined) return false;
  scope.charge = charge;
  return true;
}

/** The charge of the request being served, or undefined. */
export function currentCharge(): RateLimitCharge | undefined {
  return requestScope()?.charge as RateLimitCharge | undefined;
}

type State = 'pending' | 'sent' | 'decided';

export class RateLimitCharge {
  readonly key: string;
  #slot: number | undefined;
  readonly #parts: ChargeParts;
  #state: State = 'pending';
  /** Undefined once decided only when the outcome is unknowable (a script failed half-way with a bug). */
  #decision: RateLimitDecision | undefined;
  /** The call that carries the check (or makes it alone), set when it is sent: it settles once decided. */
  #sent: Promise<unknown> | undefined;
  #observed = false;
  /** The key's `{…}` hash tag, undefined when it has none. */
  readonly #tag: string | undefined;

  constructor(parts: ChargeParts) {
    this.#parts = parts;
    this.key = parts.key;
    this.#tag = tagOf(parts.key);
  }

  /**
   * The Redis Cluster slot of the key: a script carries the charge only when all its keys are in it. Worked out
   * when first needed: the usual script's keys share the charge's hash tag, which tells it without hashing.
   */
  get slot(): number {
    return (this.#slot ??= hashSlot(this.key));
  }

  /** The decision, once made. */
  get decision(): RateLimitDecision | undefined {
    return this.#decision;
  }

  /**
   * True once a store call of the request carried the charge or waited for it: the request's own answer then
   * already follows the decision (a refused call threw the refusal), so the HTTP shell need not change it.
   */
  get observed(): boolean {
    return this.#observed;
  }

  /** True once the decision is made (or known to be unknowable). */
  get decided(): boolean {
    return this.#state === 'decided';
  }

  /** True until someone sends the check. */
  get pending(): boolean {
    return this.#state === 'pending';
  }

  /**
   * The decision, checking on its own when nothing carried the charge. Undefined when it cannot be known (the
   * script that carried it failed with a bug, which its caller has heard).
   */
  async settle(): Promise<RateLimitDecision | undefined> {
    if (this.#state === 'pending') {
      const alone = this.#checkAlone();
      this.#send(alone);
      // Its caller hears a bug of the check itself (an outage is the failure policy's to answer).
      await alone;
    } else {
      // Its caller hears how it failed; here only that it is over (a promise made only for who waits).
      await this.#sent!.then(
        () => undefined,
        () => undefined,
      );
    }
    return this.#decision;
  }

  /**
   * For a store call that does not carry the charge: undefined when it may go at once (the charge allowed it),
   * else a promise that resolves when it may go, or rejects with the refusal.
   */
  clearance(): Promise<void> | undefined {
    this.#observed = true;
    if (this.#state === 'decided') return this.#refusedWith();
    return this.settle().then(() => this.#refusedWith());
  }

  /**
   * Runs `script` on `store` (the store below every wrapper: it must not look for a charge again) carrying the
   * charge when it is still pending and every key of the script shares its slot; otherwise after the decision,
   * as any other call.
   */
  carry(store: Store, script: Script, keys: string[], args: Array<string | number>): Promise<Reply> {
    if (this.#state !== 'pending' || !this.#holds(keys)) {
      const wait = this.clearance();
      return wait === undefined ? store.run(script, keys, args) : wait.then(() => store.run(script, keys, args));
    }
    this.#observed = true;
    const ran = this.#carried(store, script, keys, args);
    this.#send(ran);
    return ran;
  }

  #holds(keys: string[]): boolean {
    if (keys.length === 0) return false;
    // The same hash tag is the same slot, told by comparing text (the usual case: every key of the request's user);
    // anything else is hashed as Redis would.
    const tag = this.#tag;
    for (const key of keys) if (!(tag !== undefined && tagOf(key) === tag) && hashSlot(key) !== this.slot) return false;
    return true;
  }

  #send(outcome: Promise<unknown>): void {
    this.#state = 'sent';
    this.#sent = outcome;
  }

  #decide(decision: RateLimitDecision | undefined): RateLimitDecision | undefined {
    this.#state = 'decided';
    this.#decision = decision;
    return decision;
  }

  /** A rejected promise when the decision refuses, undefined when calls may go (allowed, failed open, unknown). */
  #refusedWith(): Promise<never> | undefined {
    const decision = this.#decision;
    return decision === undefined || decision.allowed ? undefined : Promise.reject(this.#parts.refusal(decision));
  }

  async #checkAlone(): Promise<void> {
    const { store, step, key, args } = this.#parts;
    let reply: Reply;
    try {
      // Outside this charge (same deadline), so the limiter's own call, through the same wrappers, is not held for it.
      reply = await withinScope(withoutCharge(requestScope()), () => store.run(step.script, [key], args));
    } catch (err) {
      this.#failed(err);
      if (!(err instanceof StoreError)) throw err;
      return;
    }
    this.#decide(this.#parts.read(reply));
  }

  /** The outcome of a check or a composed script that failed: the failure policy's decision for an outage. */
  #failed(err: unknown): RateLimitDecision | undefined {
    return this.#decide(err instanceof StoreError ? this.#parts.degrade(err) : undefined);
  }

  /** Not an async function: every counted request passes here, and its promises cost every storage in use. */
  #carried(store: Store, script: Script, keys: string[], args: Array<string | number>): Promise<Reply> {
    const { step, key, args: checkArgs } = this.#parts;
    const allKeys = [key];
    for (const own of keys) allKeys.push(own);
    const allArgs: Array<string | number> = [checkArgs.length];
    for (const arg of checkArgs) allArgs.push(arg);
    for (const arg of args) allArgs.push(arg);
    let sent: Promise<Reply>;
    try {
      sent = store.run(chargedScript(step, script), allKeys, allArgs);
    } catch (err) {
      sent = Promise.reject(err);
    }
    return sent.then(
      (reply) => {
        const [checkReply, ran, operationReply] = reply as [Reply, number, Reply?];
        const decision = this.#decide(this.#parts.read(checkReply))!;
        if (ran !== 1) throw this.#parts.refusal(decision);
        return operationReply ?? null;
      },
      (err: unknown) => {
        const decision = this.#failed(err);
        // Refused before it ran (not reachable, OOM, read-only…): neither the check nor the operation happened, the
        // same state as a check that failed before the operation was asked. The failure policy says what follows:
        // failing closed nothing goes; failing open the operation runs on its own, uncounted, as it did before
        // charges (a read-only script may then still run at maxmemory, where the composed one, which writes, may not).
        if (err instanceof StoreUnavailableError && decision !== undefined) {
          if (!decision.allowed) throw this.#parts.refusal(decision);
          return store.run(script, keys, args);
        }
        // Sent and unanswered, or a bug: the operation may have run, and its caller must hear exactly that.
        throw err;
      },
    );
  }
}

/** Composed scripts, made once per check and operation. */
const composed = new Map<CheckStep, WeakMap<Script, Script>>();

/**
 * The check and the operation as one script. Each source (its preludes and body, after its flags line) becomes
 * the body of a local function whose parameters are named KEYS and ARGV, so each sees its own slice of the
 * composed script's keys and arguments (KEYS[1] and the first ARGV are the check's) exactly as if it ran alone,
 * `#KEYS` and `KEYS[#KEYS]` included; ARGV[1] says how many arguments are the check's. The operation runs only when the check allows; the reply is
 * `{check reply, 1, operation reply}` or `{check reply, 0}` (the 1 keeps a nil reply of the operation from
 * ending the array early).
 *
 * Never `allow-oom`, whatever the operation's flags: the check writes its counter, and an unflagged write past
 * maxmemory is what allow-oom would permit. At maxmemory Redis refuses the whole script before it starts, so a
 * refusal still means nothing was applied (and failing open the read then runs alone, see `#carried`).
 */
export function chargedScript(step: CheckStep, operation: Script): Script {
  let byOperation = composed.get(step);
  if (byOperation === undefined) {
    byOperation = new WeakMap();
    composed.set(step, byOperation);
  }
  let script = byOperation.get(operation);
  if (script === undefined) {
    const lua = [
      '#!lua',
      'local function charge_check(KEYS, ARGV)',
      withoutFlags(step.script.lua),
      'end',
      'local function charge_allows(reply, ARGV)',
      `return ${step.allowsLua}`,
      'end',
      'local function charged_operation(KEYS, ARGV)',
      withoutFlags(operation.lua),
      'end',
      'local check_args, own_keys, own_args = {}, {}, {}',
      'local check_count = tonumber(ARGV[1])',
      'for i = 1, check_count do check_args[i] = ARGV[i + 1] end',
      'for i = 2, #KEYS do own_keys[i - 1] = KEYS[i] end',
      'for i = check_count + 2, #ARGV do own_args[i - check_count - 1] = ARGV[i] end',
      'local reply = charge_check({KEYS[1]}, check_args)',
      'if not charge_allows(reply, check_args) then return {reply, 0} end',
      'return {reply, 1, charged_operation(own_keys, own_args)}',
    ].join('\n');
    script = {
      // The operation's name: the latency an operator reads under `script:<name>` is the operation's, now with
      // its request's check inside (a few commands on one key).
      name: operation.name,
      lua,
      sha: createHash('sha1').update(lua).digest('hex'),
      local: (db, keys, args) => {
        const count = Number(args[0]);
        const checkArgs = args.slice(1, count + 1);
        const reply = step.script.local(db, [keys[0]!], checkArgs);
        if (!step.allows(reply, checkArgs)) return [reply, 0];
        const own = operation.local(db, keys.slice(1), args.slice(count + 1));
        return own === null ? [reply, 1] : [reply, 1, own];
      },
    };
    byOperation.set(operation, script);
  }
  return script;
}

/** A key's hash tag as Redis reads it (the first `{` to the next `}`, not empty), or undefined. */
function tagOf(key: string): string | undefined {
  const open = key.indexOf('{');
  if (open < 0) return undefined;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : undefined;
}

function withoutFlags(lua: string): string {
  return lua.startsWith('#!') ? lua.slice(lua.indexOf('\n') + 1) : lua;
}
