import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { attachCharge, createRateLimiter, withCharge, type RateLimitCharge, type RateLimitDecision, type RateLimiter, type Remembr } from '../index.js';
import { presentedKey } from './auth.js';
import { HttpError, type ErrorBody } from './errors.js';
import { rateLimitFields, rateLimitFieldsOf, type RateLimitHeaderOptions } from './rate-limit-headers.js';

/** What a rate-limiter identity may be made of (a key part, see src/keys.ts). */
const KEY_PART = /^[A-Za-z0-9_\-.@+=~/]{1,200}$/;

/**
 * The limiter identity of a caller bucket (`user:<id>` or `ip:<address>`). `:` cannot be part of a key, so it
 * becomes `_`, which no address contains and which keeps `user_…` and `ip_…` apart. An address that still does
 * not fit (an IPv6 zone such as `%eth0`) is hashed instead of refused: a client must never get a 400 for where it
 * calls from.
 */
export function bucketIdentity(bucket: string): string {
  let identity = identities.get(bucket);
  if (identity === undefined) {
    const plain = bucket.replace(/:/g, '_');
    identity = KEY_PART.test(plain) ? plain : `h_${createHash('sha256').update(bucket, 'utf8').digest('hex').slice(0, 32)}`;
    // Bounded: running open there is one bucket per client address.
    if (identities.size >= MAX_REMEMBERED_IDENTITIES) identities.clear();
    identities.set(bucket, identity);
  }
  return identity;
}

/** Identities already worked out, by bucket: every request of a caller asks for the same one. */
const identities = new Map<string, string>();
const MAX_REMEMBERED_IDENTITIES = 10_000;

/** The RateLimit fields of a counted answer, under the policy name a client sees for this limiter. */
function rateLimitHeaders(policyName: string, limiter: RateLimiter, options: RateLimitHeaderOptions): (reply: FastifyReply, decision: RateLimitDecision) => void {
  const fields = rateLimitFieldsOf({ name: policyName, quota: limiter.limit, windowSeconds: limiter.windowSeconds }, options);
  return (reply, decision) => fields(decision.limit, decision, reply);
}

/** Failing closed: the limiter cannot tell whether the caller may go on, so nobody does. */
function limiterUnavailable(decision: RateLimitDecision): HttpError {
  return new HttpError(503, 'SERVICE_UNAVAILABLE', 'Rate limiting is unavailable while the store is down, so requests are refused. Retry shortly.', undefined, {
    'retry-after': String(decision.retryAfterSeconds ?? 1),
  });
}

/** Over the limit: 429 with Retry-After (the RateLimit fields are added wherever the decision is known). */
function tooManyRequests(limiter: RateLimiter, decision: RateLimitDecision): HttpError {
  return new HttpError(
    429,
    'RATE_LIMIT_EXCEEDED',
    `Rate limit of ${decision.limit} requests per ${limiter.windowSeconds} s exceeded; retry in ${decision.retryAfterSeconds} s`,
    undefined,
    { 'retry-after': String(decision.retryAfterSeconds) },
  );
}

/** What a refused decision answers: 429 over the limit, 503 failing closed. */
const refusalOf = (limiter: RateLimiter) => (decision: RateLimitDecision) =>
  decision.reason === 'store_unavailable' ? limiterUnavailable(decision) : tooManyRequests(limiter, decision);

/**
 * The onRequest hook that counts every request against the caller's bucket (after authentication, so it is the
 * verified user, or the client address when the service runs open), waiting for the check before anything else
 * runs: two round trips for a request that uses the store. The MCP endpoint uses it (its transport writes its
 * own answers, which the deferred settling of `chargeRequests` could not replace); `/api/v1` uses
 * `chargeRequests`. A counted response carries RateLimit and RateLimit-Policy (policy "default"), errors
 * included; a refused one is 429 with Retry-After.
 * When the store is down and the limiter fails open, the request goes on uncounted and without those headers
 * (there is nothing true to put in them); failing closed it is 503.
 */
export function limitRequests(limiter: RateLimiter, headerOptions: RateLimitHeaderOptions = {}): onRequestAsyncHookHandler {
  const refusal = refusalOf(limiter);
  const headers = rateLimitHeaders('default', limiter, headerOptions);
  return async (request, reply) => {
    // The same bucket as chargeRequests counts (under the user's hash tag), so /api/v1 and MCP share one limit.
    const decision = await limiter.check(bucketIdentity(request.caller.bucket), 1, { hashTag: request.caller.userId });
    if (decision.reason !== 'store_unavailable') headers(reply, decision);
    if (!decision.allowed) throw refusal(decision);
  };
}

/**
 * The same count as `limitRequests`, in one round trip with the request's own store call: the onRequest hook
 * makes the caller's charge and goes on without waiting (see rate-limit/charge.ts), and the request's first
 * script in the caller's hash slot carries it. The bucket's key carries the caller's user id as its hash tag
 * (`remembr:ratelimit:{alice}:user_alice:requests:fw`), the tag of every key the user's requests touch, so on a
 * Redis Cluster too the check and the operation share one slot; running open, every caller is the local user,
 * whose keys all sit in the slot of `{local}`, so the address buckets are kept there too and still ride along.
 * A refused charge throws from that store call, before anything of the operation was applied: 429 (503 failing
 * closed) with the same fields as before.
 *
 * A request that never reaches the store (a 400 from the schema, say) is settled in onSend, before its answer
 * leaves: the check runs on its own, and a refusal replaces the answer with the 429 (or 503) that the old hook
 * would have given. Either way each request is counted exactly once, and the RateLimit fields are set there from
 * the decision, whichever call made it.
 */
export function chargeRequests(api: FastifyInstance, limiter: RateLimiter, headerOptions: RateLimitHeaderOptions = {}): void {
  // The request's own field, not a WeakMap keyed by it: a weak entry per request is work for the garbage collector.
  api.decorateRequest(PENDING_CHARGE, null);
  const refusal = refusalOf(limiter);
  const headers = rateLimitHeaders('default', limiter, headerOptions);
  api.addHook('onRequest', (request, _reply, done) => {
    let charge: RateLimitCharge;
    try {
      charge = limiter.charge(bucketIdentity(request.caller.bucket), { hashTag: request.caller.userId, refusal });
    } catch (err) {
      done(err as Error);
      return;
    }
    (request as PendingCharge)[PENDING_CHARGE] = charge;
    // Onto the request's deadline scope (oneDeadline opened it): no scope of its own to pay for.
    if (attachCharge(charge)) done();
    else withCharge(charge, done);
  });
  // A callback hook, not an async one: the usual request (its script carried the charge) costs no promise here.
  api.addHook('onSend', (request, reply, payload, done) => {
    const charge = (request as PendingCharge)[PENDING_CHARGE];
    if (charge === null) return done(null, payload);
    // Once: should settling fail with a bug, the error answer it becomes passes here again.
    (request as PendingCharge)[PENDING_CHARGE] = null;
    // A store call saw the decision: the answer already follows it (a refusal was thrown there and answered).
    const answered = charge.observed;
    if (charge.decided) return done(null, answerFor(request, reply, payload, charge.decision, answered));
    charge.settle().then(
      (decision) => done(null, answerFor(request, reply, payload, decision, answered)),
      (err: Error) => done(err),
    );
  });

  /** The answer to send once the decision is known: the RateLimit fields set, and a refusal nobody saw answered. */
  function answerFor(request: FastifyRequest, reply: FastifyReply, payload: unknown, decision: RateLimitDecision | undefined, answered: boolean): unknown {
    if (decision === undefined) return payload;
    if (decision.reason !== 'store_unavailable') headers(reply, decision);
    if (decision.allowed || answered) return payload;
    return answerInstead(request, reply, refusal(decision));
  }
}

/** The request's charge until onSend settles it (null before the charge is made and after it is settled). */
const PENDING_CHARGE = 'rateLimitCharge';
type PendingCharge = FastifyRequest & { [PENDING_CHARGE]: RateLimitCharge | null };

/** From onSend: the answer replaced by `err`'s, in the service's error envelope. */
function answerInstead(request: FastifyRequest, reply: FastifyReply, err: HttpError): string {
  const body: ErrorBody = { error: { code: err.code, message: err.message, request_id: String(request.id) } };
  reply.code(err.statusCode).headers(err.headers).header('content-type', 'application/json; charset=utf-8');
  return JSON.stringify(body);
}

/**
 * The per-address limit on failed authentications. It judges failures only: a request with a valid key is served
 * whatever its address's failure count, because behind a NAT or a load balancer one address is many clients, and
 * one misbehaving client must not lock out every tenant there (keys are 16+ random characters, so guessing one is
 * hopeless anyway; the limit stops floods of bad keys, not guessing). The address is `request.ip`, the real
 * client's only when TRUST_PROXY says which proxies to believe.
 */
export interface AuthFailureGuard {
  readonly limiter: RateLimiter;
  /**
   * Given to `authenticate` as its failure callback: an address already held back gets 429 at once (no store
   * round trip); otherwise the failure is counted in one atomic step and answered 429 in place of 401 once the
   * address is over, so of N concurrent wrong guesses exactly the limit are judged. Logged with the address and
   * the reason, never the key.
   */
  recordFailure(request: FastifyRequest): Promise<void>;
}

/** The per-address limit on failed authentications (`authFailuresPerMinute` over 60 s). */
export function authFailureGuard(remembr: Remembr): AuthFailureGuard {
  const { config } = remembr;
  const limiter = createRateLimiter(remembr.store, {
    name: 'auth-failures',
    limit: config.authFailuresPerMinute,
    windowSeconds: 60,
    failMode: config.rateLimitFailMode,
    logger: remembr.logger,
    metrics: remembr.metrics,
  });
  /**
   * Addresses held back, and until when. The count lives in the store (shared by every instance); this copy lets
   * a held-back address be answered without a store round trip. An instance that has not seen the address fail
   * yet learns it at the next failure, which the store counts as over the limit.
   */
  const heldBack = new Map<string, number>();
  // The lockout 429 says which policy refused it (RateLimit-Policy "auth-failures"), with nothing left until it ends.
  const tooMany = (retryAfterSeconds: number) =>
    new HttpError(
      429,
      'RATE_LIMIT_EXCEEDED',
      `Too many failed authentication attempts from this address; retry in ${retryAfterSeconds} s`,
      undefined,
      {
        'retry-after': String(retryAfterSeconds),
        ...rateLimitFields(
          { name: 'auth-failures', quota: config.authFailuresPerMinute, windowSeconds: limiter.windowSeconds },
          { remaining: 0, resetSeconds: retryAfterSeconds },
          { legacy: config.rateLimitLegacyHeaders },
        ),
      },
    );
  return {
    limiter,
    recordFailure: async (request) => {
      request.log.info({ ip: request.ip, reason: presentedKey(request) === undefined ? 'missing key' : 'invalid key' }, 'Authentication failed');
      const until = heldBack.get(request.ip);
      if (until !== undefined) {
        const leftMs = until - Date.now();
        if (leftMs > 0) throw tooMany(Math.ceil(leftMs / 1000));
        heldBack.delete(request.ip);
      }
      const decision = await limiter.check(bucketIdentity(`ip:${request.ip}`));
      if (decision.reason === 'store_unavailable') {
        // Unable to count: failing open the failure is a plain 401; failing closed no guess is judged at all.
        if (decision.allowed) return;
        throw limiterUnavailable(decision);
      }
      if (decision.reason !== 'limit_exceeded') return;
      if (heldBack.size >= 10_000) {
        const now = Date.now();
        for (const [ip, until] of heldBack) if (until <= now) heldBack.delete(ip);
      }
      heldBack.set(request.ip, Date.now() + (decision.retryAfterMs ?? 1000));
      throw tooMany(decision.retryAfterSeconds ?? 1);
    },
  };
}
