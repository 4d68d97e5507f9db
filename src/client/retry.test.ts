import { describe, expect, it } from 'vitest';
import { delayBeforeRetry, parseRetryAfter, retryableStatus, RETRY_DEFAULTS } from './retry.js';

describe('parseRetryAfter', () => {
  it('reads delay-seconds and an HTTP-date, and nothing else', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Tue, 01 Dec 2026 12:00:03 GMT', now)).toBe(3);
    expect(parseRetryAfter('Tue, 01 Dec 2026 11:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });
});

describe('delayBeforeRetry', () => {
  it('waits Retry-After at least, with jitter only added, and fails at once past the cap', () => {
    const policy = { ...RETRY_DEFAULTS, maxRetryAfterSeconds: 10, jitter: 0.5 };
    expect(delayBeforeRetry(policy, 1, 2, () => 0)).toBe(2000);
    expect(delayBeforeRetry(policy, 1, 2, () => 0.999)).toBeLessThanOrEqual(3000);
    expect(delayBeforeRetry(policy, 1, 10, () => 0)).toBe(10_000);
    expect(delayBeforeRetry(policy, 1, 11, () => 0)).toBeUndefined();
  });

  it('doubles the base delay per attempt when the answer named no wait', () => {
    const policy = { ...RETRY_DEFAULTS, baseDelayMs: 100, jitter: 0 };
    expect([1, 2, 3].map((attempt) => delayBeforeRetry(policy, attempt, undefined))).toEqual([100, 200, 400]);
  });
});

describe('retryableStatus', () => {
  it('retries 429, 503 and 504 for reads and keyed writes only, and never another 4xx or a 500', () => {
    for (const status of [429, 503, 504]) {
      expect(retryableStatus('read', status)).toBe(true);
      expect(retryableStatus('keyed-write', status)).toBe(true);
      expect(retryableStatus('write', status)).toBe(false);
    }
    for (const status of [400, 401, 404, 409, 413, 422, 500]) expect(retryableStatus('keyed-write', status)).toBe(false);
  });
});
