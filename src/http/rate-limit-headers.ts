/**
 * The RateLimit fields of draft-ietf-httpapi-ratelimit-headers-10: two Structured Fields (RFC 9651) Lists, each
 * member a String naming a quota policy with Integer parameters.
 *
 *   RateLimit-Policy: "default";q=100;w=60    the policy: quota q per window of w seconds
 *   RateLimit: "default";r=99;t=60            the service limit now: r left, t seconds until the quota is whole
 *
 * The draft has a client ignore a field it cannot parse, so these are built by a serializer that only emits what the
 * grammar allows, rather than by string templates at each call site.
 */

/** A quota policy as the fields name it. */
export interface RateLimitPolicy {
  /** Policy identifier: printable ASCII (an sf-string). */
  name: string;
  /** Requests per window (`q`). */
  quota: number;
  /** Window length in seconds (`w`), rounded up to whole seconds. */
  windowSeconds: number;
}

/** Where a caller stands against a policy right now. */
export interface RateLimitState {
  /** Requests left (`r`). */
  remaining: number;
  /** Seconds until the quota is whole again (`t`). */
  resetSeconds: number;
}

export interface RateLimitHeaderOptions {
  /**
   * Also send the fields of drafts -05 to -07 (`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`), for
   * clients written against them (RATE_LIMIT_LEGACY_HEADERS). @default false
   */
  legacy?: boolean;
}

/** RFC 9651 sf-integer: at most 15 digits. Counts and seconds are never negative here. */
function sfInteger(value: number): string {
  const whole = Math.max(0, Math.ceil(value));
  if (!Number.isSafeInteger(whole) || whole > 999_999_999_999_999) throw new RangeError(`${value} is not a structured-field integer`);
  return String(whole);
}

/** RFC 9651 sf-string: printable ASCII, with `"` and `\` escaped. */
function sfString(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new RangeError(`policy name ${JSON.stringify(value)} is not printable ASCII`);
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Where the fields go: a reply (Fastify's `header`) or a record of them. */
export interface HeaderSink {
  header(name: string, value: string): unknown;
}

/** The headers of one counted answer (lower-case names, as Fastify sends them). */
export function rateLimitFields(policy: RateLimitPolicy, state: RateLimitState, options: RateLimitHeaderOptions = {}): Record<string, string> {
  const fields: Record<string, string> = {};
  rateLimitFieldsOf(policy, options)(policy.quota, state, { header: (name, value) => (fields[name] = value) });
  return fields;
}

/**
 * `rateLimitFields` for one policy, with what never changes (the quoted name, the RateLimit-Policy value) made once,
 * set straight on `sink`: the rate-limit shell sets these on every counted answer, without a record of them to make
 * and walk. `quota` is the one a decision is usually made against; a decision under another quota gets its own
 * policy value.
 */
export function rateLimitFieldsOf(policy: RateLimitPolicy, options: RateLimitHeaderOptions = {}): (quota: number, state: RateLimitState, sink: HeaderSink) => void {
  const name = sfString(policy.name);
  const policyValue = (quota: number) => `${name};q=${sfInteger(quota)};w=${sfInteger(policy.windowSeconds)}`;
  const usual = policyValue(policy.quota);
  return (quota, state, sink) => {
    sink.header('ratelimit-policy', quota === policy.quota ? usual : policyValue(quota));
    sink.header('ratelimit', `${name};r=${sfInteger(state.remaining)};t=${sfInteger(state.resetSeconds)}`);
    if (options.legacy) {
      sink.header('ratelimit-limit', sfInteger(quota));
      sink.header('ratelimit-remaining', sfInteger(state.remaining));
      sink.header('ratelimit-reset', sfInteger(state.resetSeconds));
    }
  };
}
