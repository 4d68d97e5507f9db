/**
 * The environment of the service the resilience workloads run against: two tenants, limits no workload reaches (a
 * rate limit, a token budget that never evicts), and a short store bound, so an outage shows within the run.
 */
export const WORKLOAD_KEYS = ['alice-resilience-key-000000001', 'bob-resilience-key-00000000002'];

export function workloadServiceEnv(store: Record<string, string>, commandTimeoutMs: number): Record<string, string> {
  return {
    ...store,
    REMEMBR_API_KEYS: `alice:${WORKLOAD_KEYS[0]},bob:${WORKLOAD_KEYS[1]}`,
    RATE_LIMIT_PER_MINUTE: '1000000',
    SHORT_TERM_MAX_TOKENS: '10000000',
    REDIS_COMMAND_TIMEOUT_MS: String(commandTimeoutMs),
    REDIS_CONNECT_TIMEOUT_MS: '500',
    LOG_LEVEL: 'warn',
  };
}
