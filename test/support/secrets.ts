/**
 * Every secret the suites hand to Remembr (API keys, Redis passwords). The log scan at the end of the run
 * (test/support/global-setup.ts) fails the run if any of them appears in a captured log line.
 * A test that uses a new secret adds it here.
 */
export const ALICE_KEY = 'alice-test-key-0123456789abcdef';
export const BOB_KEY = 'bob-test-key-fedcba9876543210';
export const CAROL_KEY = 'carol-test-key-5a5a5a5a5a5a5a5a';
export const REDIS_PASSWORD = 'redis-test-pass-5up3r-s3cr3t';
export const REDIS_ACL_PASSWORD = 'acl-user-pass-0f7c1e2d9b';
export const METRICS_TOKEN = 'metrics-test-token-7e57c0ffee42';

export const TEST_SECRETS: readonly string[] = [
  ALICE_KEY,
  BOB_KEY,
  CAROL_KEY,
  REDIS_PASSWORD,
  REDIS_ACL_PASSWORD,
  METRICS_TOKEN,
  'alice-resilience-key-000000001',
  'bob-resilience-key-00000000002',
  'alice-soak-key-0000000000000001',
  'bob-soak-key-00000000000000002',
];
