/**
 * remembr — the Redis layer of an AI-agent backend, as a library. The HTTP service (`remembr/http`) is a thin
 * shell over exactly these exports.
 */
export { initRedis, closeRedis, getRedisClient, redisStatus } from './redis.js';
export { createRemembr } from './remembr.js';
export type { Remembr, RemembrOptions } from './remembr.js';

export { CacheService, assertTtl } from './cache/cache-service.js';
export type { CacheServiceOptions } from './cache/cache-service.js';
export { encodeJson } from './cache/json.js';

export { createRateLimiter } from './rate-limit/create-rate-limiter.js';
export { StoreRateLimiter } from './rate-limit/rate-limiter.js';
export { RateLimitCharge, attachCharge, withCharge } from './rate-limit/charge.js';
export { ChargedStore } from './rate-limit/charged-store.js';
export type { ChargeOptions, RateLimiter, RateLimiterOptions, RateLimitDecision, RateLimitAlgorithm, RateLimitReason } from './rate-limit/rate-limiter.js';
export { FixedWindowRateLimiter } from './rate-limit/fixed-window.js';
export { GcraRateLimiter } from './rate-limit/gcra.js';
export { TaskResultStore } from './tasks/task-result-store.js';
export type { TaskResultStoreOptions, FoundTaskResult } from './tasks/task-result-store.js';
export { MAX_METADATA_BYTES, MAX_PATCH_DEPTH, SessionStore } from './sessions/session-store.js';
export { applyMergePatch } from './sessions/merge-patch.js';
export type { Session, SessionInput, SessionMetadata, SessionStoreOptions } from './sessions/session-store.js';
export { ShortTermMemory } from './memory/short-term-memory.js';
export { MESSAGE_ROLES, MESSAGE_LIMITS, CONTENT_PART_TYPES, IMAGE_DETAILS, checkMessage, toOpenAI } from './memory/messages.js';
export type {
  Message,
  MessageInput,
  MessageRole,
  MessageContent,
  MessageMetadata,
  ContentPart,
  ToolCall,
  OpenAIMessage,
} from './memory/messages.js';
export type {
  TokenUsage,
  AppendResult,
  AppendTurnResult,
  ConversationWindow,
  Checkpoint,
  ShortTermMemoryOptions,
} from './memory/short-term-memory.js';
export { countTokens, countTokensOf, loadEncoder, prestartCounting, BytePairEncoder, TOKEN_ENCODINGS } from './memory/tokens.js';
export type { TokenEncoding } from './memory/tokens.js';

export {
  makeKey,
  makePattern,
  hashTag,
  HashTag,
  assertId,
  assertScopedPattern,
  KEY_PREFIX,
  SESSION_TTL,
  SHORT_TERM_TTL,
  LONG_TERM_TTL,
} from './keys.js';
export type { KeyPart } from './keys.js';

export { loadConfig, describeRedisUrl, describeStore, DEFAULTS } from './config.js';
export type { Config, ApiKey, Environment, FailMode } from './config.js';
export { ValidationError, StoreError, StoreUnavailableError, OutcomeUnknownError, IdempotencyKeyReusedError, NotInitializedError, CapacityError, ConflictError, BusyError, ConfigError, RateLimitRefusedError } from './errors.js';
export { checkStore } from './health.js';
export type { RedisStatus } from './health.js';

export type { Store, StoreKind, Script, Reply, ServerInfo } from './store/port.js';
export { defineScript } from './store/script.js';
export { MemoryStore } from './store/memory-store.js';
export { MemoryDb } from './store/memory-db.js';
export { RedisStore } from './store/redis-store.js';
export type { RedisStoreOptions, RedisConnection } from './store/redis-store.js';
export { RedisClusterStore } from './store/redis-cluster-store.js';
export type { RedisClusterStoreOptions, RedisClusterConnection } from './store/redis-cluster-store.js';
export { createStore } from './store/create-store.js';
export { withinDeadline, startDeadline, currentDeadline } from './store/deadline.js';
export { IDEMPOTENCY_TTL, assertIdempotencyKey, onceScript, runOnce, onceFor } from './idempotency/once.js';
export type { IdempotencyOptions, Once, OnceResult } from './idempotency/once.js';

export { createLogger, silentLogger } from './observability/logger.js';
export type { Logger } from './observability/logger.js';
export { Metrics, CounterFamily, HistogramFamily, quantile, STORE_LATENCY_BUCKETS, HTTP_LATENCY_BUCKETS } from './observability/metrics.js';
export type { Counter, Observer, Labels } from './observability/metrics.js';
export { MeasuredStore, failureKind } from './observability/measured-store.js';
export type { FailureKind } from './observability/measured-store.js';
export { StoreMonitor } from './observability/store-monitor.js';
export type { StoreSample, NodeSample } from './observability/store-monitor.js';
export { requestContext } from './observability/request-context.js';
