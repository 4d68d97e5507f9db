import { isIP } from 'node:net';
import { ConfigError } from './errors.js';
import { CLIENT_CACHE_DEFAULTS, type ClientCacheOptions } from './store/client-cache.js';
import { TOKEN_ENCODINGS, type TokenEncoding } from './memory/tokens.js';

export type Environment = 'local' | 'staging' | 'production';
export type FailMode = 'open' | 'closed';
export interface ApiKey {
  userId: string;
  key: string;
}
/** A host and port, as Redis Sentinel and REDIS_SENTINELS name a node. */
export interface RedisNodeAddress {
  host: string;
  port: number;
}

/** Everything Remembr can be told from outside. Only `loadConfig` reads the environment. */
export interface Config {
  /** `redis://` or `rediss://` URL; unset means the embedded in-memory store. @default undefined */
  redisUrl?: string;
  /**
   * `redisUrl` is one seed node of a Redis Cluster: the other nodes are discovered, and keys are routed by hash slot
   * (database 0 only, as Redis Cluster has no other). @default false
   */
  redisCluster: boolean;
  /**
   * Redis Sentinels to ask where the primary of `redisSentinelName` is (instead of `redisUrl`): Remembr follows
   * the primary they name, also after they fail over to a replica. @default undefined
   */
  redisSentinels?: RedisNodeAddress[];
  /** The name the Sentinels monitor the primary under (`sentinel monitor <name> …`). @default undefined */
  redisSentinelName?: string;
  /** With Sentinels: the ACL user of the primary and replicas (with `redisUrl`, the URL holds it). @default undefined */
  redisUsername?: string;
  /** With Sentinels: the password of the primary and replicas (with `redisUrl`, the URL holds it). @default undefined */
  redisPassword?: string;
  /** With Sentinels: the password of the Sentinels themselves, when they have one. @default undefined */
  redisSentinelPassword?: string;
  /** With Sentinels: TLS to the Sentinels, the primary and replicas (with `redisUrl`, `rediss://`). @default false */
  redisTls: boolean;
  /** @default 'local' */
  environment: Environment;
  /** pino level. @default 'info' */
  logLevel: string;
  /** @default 8000 */
  port: number;
  /** @default '127.0.0.1' */
  host: string;
  /** Upper bound of Redis connections this process may open. @default 20 */
  redisMaxConnections: number;
  /**
   * Connections the store opens (at most `redisMaxConnections`). Each one pipelines every concurrent command, so a
   * single one carries a heavy load: measured at 1, 2 and 4 connections and 64 and 256 callers, more bought
   * nothing on one server (BENCHMARKS.md, the connections tables). @default 1
   */
  redisConnections: number;
  /**
   * Server-assisted client-side caching (RESP3 tracking) of cache and session reads, within these bounds; false
   * for none. One Redis server only (not with `redisCluster`). @default false
   */
  clientCache: Partial<ClientCacheOptions> | false;
  /** How long one Redis command may take before it fails (no offline queueing either). @default 1000 */
  redisCommandTimeoutMs: number;
  /**
   * Durable acknowledgements: a write is acknowledged only once this many replicas have it (WAIT); when they do not
   * confirm within `redisWaitTimeoutMs` the answer is "outcome unknown", never a success. 0: off. @default 0
   */
  redisWaitReplicas: number;
  /** How long a write waits for its replicas (below `redisCommandTimeoutMs`, inside the same deadline). @default 250 */
  redisWaitTimeoutMs: number;
  /** How long a connection attempt may take. @default 2000 */
  redisConnectTimeoutMs: number;
  /** PEM file of a CA to trust for `rediss://` (self-signed servers). @default undefined */
  redisTlsCaFile?: string;
  /** Accept a `rediss://` server whose certificate is not trusted. Never in production. @default false */
  redisTlsInsecure: boolean;
  /** API keys and the user each belongs to (a user may have several, for rotation). Empty means open (local only). @default [] */
  apiKeys: ApiKey[];
  /** Requests a caller may make per 60 s window. @default 100 */
  rateLimitPerMinute: number;
  /** What the limiter decides when the store is down. @default 'open' */
  rateLimitFailMode: FailMode;
  /**
   * Also send RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (drafts -05 to -07 of the RateLimit fields)
   * beside RateLimit and RateLimit-Policy (-10), for clients written against the older drafts. @default false
   */
  rateLimitLegacyHeaders: boolean;
  /**
   * Origins a browser app may call the API from (CORS): exact origins (`https://app.example.com`), `http://host:*`
   * for any port of a host, or `*` for every origin. Empty turns CORS off (browsers then refuse cross-origin calls).
   * @default ['http://localhost:*', 'http://127.0.0.1:*'] in local; [] (off) in staging and production
   */
  corsOrigins: string[];
  /** Failed authentications allowed per client address per minute. @default 20 */
  authFailuresPerMinute: number;
  /** Token budget of a short-term window, in `tokenEncoding` tokens. @default 4000 */
  shortTermMaxTokens: number;
  /** The encoding tokens are counted in: `cl100k_base` (GPT-4, GPT-3.5) or `o200k_base` (GPT-4o, o1 and later). @default 'cl100k_base' */
  tokenEncoding: TokenEncoding;
  /** Largest message content in bytes (UTF-8), at most 1 MiB. @default 32768 */
  maxMessageBytes: number;
  /** Largest request body in bytes. @default 1048576 */
  bodyLimitBytes: number;
  /**
   * Bearer token that /metrics and /dashboard require (16+ characters). In production they are served only with
   * it, or only on `metricsPort`. @default undefined
   */
  metricsToken?: string;
  /** Serve /metrics and /dashboard on this port instead of the API's (on `metricsHost`). @default undefined */
  metricsPort?: number;
  /** Where the metrics listener binds. @default '127.0.0.1' */
  metricsHost: string;
  /** How often the store is sampled in the background (INFO, ping, connections); 0 turns it off. @default 5000 */
  metricsSampleIntervalMs: number;
  /** How long a write's idempotency record is kept, so a retry with its key is answered from it. @default 3600 */
  idempotencyTtlSeconds: number;
  /**
   * Which proxies in front of the service to believe about the client's address (X-Forwarded-For), as Fastify's
   * `trustProxy` takes it: `false` believes none (the address is the TCP peer's), a number trusts that many hops
   * from the service, a list trusts those addresses and CIDR ranges (`loopback`, `linklocal`, `uniquelocal` too).
   * @default false
   */
  trustProxy: TrustProxy;
}

export const DEFAULTS = {
  environment: 'local',
  logLevel: 'info',
  port: 8000,
  host: '127.0.0.1',
  redisCluster: false,
  redisTls: false,
  redisMaxConnections: 20,
  redisConnections: 1,
  clientCache: false,
  redisCommandTimeoutMs: 1000,
  redisWaitReplicas: 0,
  redisWaitTimeoutMs: 250,
  redisConnectTimeoutMs: 2000,
  redisTlsInsecure: false,
  rateLimitPerMinute: 100,
  rateLimitFailMode: 'open',
  rateLimitLegacyHeaders: false,
  corsOrigins: [] as string[],
  authFailuresPerMinute: 20,
  shortTermMaxTokens: 4000,
  tokenEncoding: 'cl100k_base',
  maxMessageBytes: 32 * 1024,
  bodyLimitBytes: 1024 * 1024,
  metricsHost: '127.0.0.1',
  metricsSampleIntervalMs: 5000,
  idempotencyTtlSeconds: 3600,
  trustProxy: false,
} satisfies Partial<Config>;

/** The largest MAX_MESSAGE_BYTES accepted. */
export const MAX_MESSAGE_BYTES_CAP = 1024 * 1024;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
// Not "." or "..": assertId refuses them (URLs rewrite such a segment), so such a user could make no call at all.
const USER_ID = /^(?!\.{1,2}$)[A-Za-z0-9_\-.]{1,64}$/;
const SENTINEL_NAME = /^[A-Za-z0-9_\-.]{1,64}$/;

/** Reads and checks the environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const text = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (!allowed.includes(raw as T)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  };
  const flag = (name: string, fallback: boolean) => {
    const raw = text(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes'].includes(raw)) return true;
    if (['0', 'false', 'no'].includes(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };

  const environment = oneOf<Environment>('ENVIRONMENT', ['local', 'staging', 'production'], DEFAULTS.environment);
  const redisUrl = text('REDIS_URL');
  const redisCluster = flag('REDIS_CLUSTER', DEFAULTS.redisCluster);
  const redisSentinels = parseSentinels(text('REDIS_SENTINELS'), problems);
  const redisSentinelName = text('REDIS_SENTINEL_NAME');
  if (redisUrl !== undefined) checkRedisUrl(redisUrl, redisCluster, problems);
  else if (environment === 'production' && redisSentinels === undefined) {
    problems.push('REDIS_URL is required in production, or REDIS_SENTINELS (the embedded store is for local use only)');
  }
  if (redisCluster && redisUrl === undefined) problems.push('REDIS_CLUSTER needs REDIS_URL (one seed node of the cluster)');
  const redisTls = flag('REDIS_TLS', DEFAULTS.redisTls);
  const sentinelOnly = { REDIS_USERNAME: text('REDIS_USERNAME'), REDIS_PASSWORD: text('REDIS_PASSWORD'), REDIS_SENTINEL_PASSWORD: text('REDIS_SENTINEL_PASSWORD') };
  if (redisSentinels !== undefined) {
    if (redisUrl !== undefined) problems.push('REDIS_SENTINELS and REDIS_URL are two ways to find Redis: set one of them');
    if (redisCluster) problems.push('REDIS_SENTINELS cannot be combined with REDIS_CLUSTER (a Redis Cluster fails over by itself)');
    if (redisSentinelName === undefined) problems.push('REDIS_SENTINELS needs REDIS_SENTINEL_NAME (the name the Sentinels monitor the primary under)');
    else if (!SENTINEL_NAME.test(redisSentinelName)) {
      problems.push(`REDIS_SENTINEL_NAME must be 1 to 64 letters, digits, _ - . (got "${redisSentinelName}")`);
    }
  } else {
    if (redisSentinelName !== undefined) problems.push('REDIS_SENTINEL_NAME needs REDIS_SENTINELS (host:port of each Sentinel)');
    // Never echo these values: they are secrets.
    for (const [name, value] of Object.entries(sentinelOnly)) {
      if (value !== undefined) problems.push(`${name} is only for REDIS_SENTINELS; with REDIS_URL put the credentials in the URL (redis://user:password@host:port)`);
    }
    if (redisTls) problems.push('REDIS_TLS is only for REDIS_SENTINELS; with REDIS_URL use a rediss:// URL');
  }

  const apiKeys = parseApiKeys(text('REMEMBR_API_KEYS'), problems);
  if (apiKeys.length === 0 && environment === 'production') {
    problems.push('REMEMBR_API_KEYS is required in production ("user:key,user2:key2")');
  }
  const redisMaxConnections = integer('REDIS_MAX_CONNECTIONS', DEFAULTS.redisMaxConnections, 1, 1000);
  const redisConnections = integer('REDIS_CONNECTIONS', Math.min(DEFAULTS.redisConnections, redisMaxConnections), 1, 1000);
  if (redisConnections > redisMaxConnections) {
    problems.push(`REDIS_CONNECTIONS (${redisConnections}) cannot exceed REDIS_MAX_CONNECTIONS (${redisMaxConnections})`);
  }
  const redisTlsInsecure = flag('REDIS_TLS_INSECURE', DEFAULTS.redisTlsInsecure);
  if (redisTlsInsecure && environment === 'production') {
    problems.push('REDIS_TLS_INSECURE cannot be set in production');
  }

  const clientCache = parseClientCache(text('REDIS_CLIENT_CACHE'), problems);
  if (clientCache && redisCluster) problems.push('REDIS_CLIENT_CACHE is not available with REDIS_CLUSTER (one Redis server only)');
  const metricsToken = text('METRICS_TOKEN');
  // Named by length only: the value is a secret.
  if (metricsToken !== undefined && metricsToken.length < 16) problems.push(`METRICS_TOKEN must be at least 16 characters (got ${metricsToken.length})`);
  const metricsPortRaw = text('METRICS_PORT');
  const metricsPort = metricsPortRaw === undefined ? undefined : integer('METRICS_PORT', 0, 0, 65535);

  const corsOrigins = parseCorsOrigins(text('CORS_ORIGINS'), environment, problems);

  const redisCommandTimeoutMs = integer('REDIS_COMMAND_TIMEOUT_MS', DEFAULTS.redisCommandTimeoutMs, 10, 60_000);
  const redisWaitReplicas = integer('REDIS_WAIT_REPLICAS', DEFAULTS.redisWaitReplicas, 0, 64);
  const redisWaitTimeoutMs = integer('REDIS_WAIT_TIMEOUT_MS', DEFAULTS.redisWaitTimeoutMs, 1, 60_000);
  if (redisWaitReplicas > 0 && redisWaitTimeoutMs >= redisCommandTimeoutMs) {
    problems.push(
      `REDIS_WAIT_TIMEOUT_MS (${redisWaitTimeoutMs}) must be below REDIS_COMMAND_TIMEOUT_MS (${redisCommandTimeoutMs}): the wait for replicas is part of the call's deadline`,
    );
  }
  if (redisWaitReplicas > 0 && redisUrl === undefined && redisSentinels === undefined) {
    problems.push('REDIS_WAIT_REPLICAS needs Redis (REDIS_URL or REDIS_SENTINELS): the embedded store has no replicas');
  }
  const config: Config = {
    redisUrl,
    redisCluster,
    redisSentinels,
    redisSentinelName,
    redisUsername: sentinelOnly.REDIS_USERNAME,
    redisPassword: sentinelOnly.REDIS_PASSWORD,
    redisSentinelPassword: sentinelOnly.REDIS_SENTINEL_PASSWORD,
    redisTls,
    clientCache,
    environment,
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, DEFAULTS.logLevel),
    port: integer('PORT', DEFAULTS.port, 0, 65535),
    host: text('HOST') ?? DEFAULTS.host,
    redisMaxConnections,
    redisConnections,
    redisCommandTimeoutMs,
    redisWaitReplicas,
    redisWaitTimeoutMs,
    redisConnectTimeoutMs: integer('REDIS_CONNECT_TIMEOUT_MS', DEFAULTS.redisConnectTimeoutMs, 10, 60_000),
    redisTlsCaFile: text('REDIS_TLS_CA_FILE'),
    redisTlsInsecure,
    apiKeys,
    rateLimitPerMinute: integer('RATE_LIMIT_PER_MINUTE', DEFAULTS.rateLimitPerMinute, 1, 1_000_000),
    rateLimitFailMode: oneOf<FailMode>('RATE_LIMIT_FAIL_MODE', ['open', 'closed'], DEFAULTS.rateLimitFailMode),
    rateLimitLegacyHeaders: flag('RATE_LIMIT_LEGACY_HEADERS', DEFAULTS.rateLimitLegacyHeaders),
    corsOrigins,
    authFailuresPerMinute: integer('AUTH_FAILURES_PER_MINUTE', DEFAULTS.authFailuresPerMinute, 1, 1_000_000),
    shortTermMaxTokens: integer('SHORT_TERM_MAX_TOKENS', DEFAULTS.shortTermMaxTokens, 16, 10_000_000),
    tokenEncoding: oneOf<TokenEncoding>('TOKEN_ENCODING', TOKEN_ENCODINGS, DEFAULTS.tokenEncoding),
    // Counting is n log n in a message's size, on the event loop: 1 MiB of the worst input is well under a second.
    maxMessageBytes: integer('MAX_MESSAGE_BYTES', DEFAULTS.maxMessageBytes, 1, MAX_MESSAGE_BYTES_CAP),
    bodyLimitBytes: integer('BODY_LIMIT_BYTES', DEFAULTS.bodyLimitBytes, 1024, 256 * 1024 * 1024),
    metricsToken,
    metricsPort,
    metricsHost: text('METRICS_HOST') ?? DEFAULTS.metricsHost,
    metricsSampleIntervalMs: integer('METRICS_SAMPLE_INTERVAL_MS', DEFAULTS.metricsSampleIntervalMs, 0, 3_600_000),
    idempotencyTtlSeconds: integer('IDEMPOTENCY_TTL_SECONDS', DEFAULTS.idempotencyTtlSeconds, 1, 7 * 86400),
    trustProxy: parseTrustProxy(text('TRUST_PROXY'), problems),
  };
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n- ${problems.join('\n- ')}`);
  }
  return config;
}

/** What REDIS_CLIENT_CACHE may set, by the name it is given there. */
const CLIENT_CACHE_FIELDS = {
  max_entries: { field: 'maxEntries', min: 1, max: 10_000_000 },
  max_bytes: { field: 'maxBytes', min: 1024, max: 64 * 1024 ** 3 },
  max_age_ms: { field: 'maxAgeMs', min: 1, max: 24 * 3600 * 1000 },
} as const;

/**
 * REDIS_CLIENT_CACHE: `off` (or unset), `on` (the defaults), or some of `max_entries=N,max_bytes=N,max_age_ms=N`
 * (on, with those bounds).
 */
function parseClientCache(raw: string | undefined, problems: string[]): ClientCacheOptions | false {
  const value = raw?.toLowerCase();
  if (value === undefined || ['off', 'false', '0', 'no'].includes(value)) return false;
  const options: ClientCacheOptions = { ...CLIENT_CACHE_DEFAULTS };
  if (['on', 'true', '1', 'yes'].includes(value)) return options;
  const allowed = `off, on, or ${Object.keys(CLIENT_CACHE_FIELDS).map((name) => `${name}=N`).join(',')}`;
  for (const part of value.split(',')) {
    const [name = '', number = ''] = part.split('=').map((side) => side.trim());
    const spec = CLIENT_CACHE_FIELDS[name as keyof typeof CLIENT_CACHE_FIELDS];
    if (spec === undefined) {
      problems.push(`REDIS_CLIENT_CACHE has "${name}", which is not a setting (expected ${allowed})`);
    } else if (!/^\d+$/.test(number) || Number(number) < spec.min || Number(number) > spec.max) {
      problems.push(`REDIS_CLIENT_CACHE ${name} must be a whole number from ${spec.min} to ${spec.max} (got "${number}")`);
    } else {
      options[spec.field] = Number(number);
    }
  }
  return options;
}

/** Who may say where a request came from: nobody, the nearest N hops, or the proxies at these addresses. */
export type TrustProxy = false | number | string[];

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY: unset, `false` or `0` (nobody: a forged X-Forwarded-For changes nothing), a hop count, or a comma
 * list of addresses and CIDR ranges. `true` (trust every hop) is refused: any client could then choose its own
 * address, and with it dodge the per-address limit on failed authentications.
 */
function parseTrustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  if (raw === undefined || ['false', 'no', 'off', '0'].includes(raw.toLowerCase())) return false;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops <= 32) return hops;
  }
  const entries = raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  const bad = entries.filter((entry) => !PROXY_NAMES.includes(entry) && !isAddressOrRange(entry));
  if (entries.length === 0 || bad.length > 0) {
    problems.push(
      `TRUST_PROXY must be false, a hop count from 1 to 32, or a comma list of addresses, CIDR ranges and ${PROXY_NAMES.join('/')} (got "${raw}")`,
    );
    return false;
  }
  return entries;
}

function isAddressOrRange(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function checkRedisUrl(raw: string, cluster: boolean, problems: string[]): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The URL may hold a password: never echo it back.
    problems.push('REDIS_URL is not a valid URL (expected redis://[user:password@]host:port[/db])');
    return;
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    problems.push(`REDIS_URL must start with redis:// or rediss:// (got ${url.protocol}//)`);
  }
  if (!url.hostname) problems.push('REDIS_URL has no host');
  if (cluster && !['', '/', '/0'].includes(url.pathname)) {
    problems.push(`REDIS_URL selects database ${url.pathname.slice(1)}, but Redis Cluster has only database 0`);
  }
}

/** A browser app on this machine, on any port: what a local developer runs. */
const LOCAL_CORS_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*'];
const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:(\d{1,5}|\*))?$/;

/** `CORS_ORIGINS`: `*`, `none`, or a comma list of origins; unset is local origins in local, off elsewhere. */
function parseCorsOrigins(raw: string | undefined, environment: Environment, problems: string[]): string[] {
  if (raw === undefined) return environment === 'local' ? [...LOCAL_CORS_ORIGINS] : [...DEFAULTS.corsOrigins];
  if (raw.toLowerCase() === 'none') return [];
  if (raw === '*') return ['*'];
  const origins = raw.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
  for (const origin of origins) {
    if (!ORIGIN.test(origin)) {
      problems.push(`CORS_ORIGINS: "${origin}" is not an origin (scheme://host[:port], a port of * for any; or all of CORS_ORIGINS is * or none)`);
    }
  }
  return origins;
}

/** `host:port,host:port`, each port 1 to 65535; IPv6 hosts in brackets (`[::1]:26379`). */
function parseSentinels(raw: string | undefined, problems: string[]): RedisNodeAddress[] | undefined {
  if (raw === undefined) return undefined;
  const sentinels: RedisNodeAddress[] = [];
  raw.split(',').forEach((entry, i) => {
    const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(entry.trim());
    const port = Number(match?.[3]);
    if (!match || port < 1 || port > 65535) {
      problems.push(`REDIS_SENTINELS entry ${i + 1} must be host:port with a port from 1 to 65535 (got "${entry.trim()}")`);
      return;
    }
    sentinels.push({ host: match[1] ?? match[2]!, port });
  });
  return sentinels;
}

function parseApiKeys(raw: string | undefined, problems: string[]): ApiKey[] {
  const keys: ApiKey[] = [];
  if (raw === undefined) return keys;
  raw.split(',').forEach((entry, i) => {
    const at = entry.indexOf(':');
    const user = entry.slice(0, at).trim();
    const key = entry.slice(at + 1).trim();
    // Name the entry by position, never by content: the content is a secret.
    if (at <= 0 || !USER_ID.test(user)) {
      problems.push(`REMEMBR_API_KEYS entry ${i + 1} must be "user:key" with a user id of letters, digits, _ - . (not "." or "..")`);
    } else if (key.length < 16) {
      problems.push(`REMEMBR_API_KEYS entry ${i + 1} (user ${user}) has a key shorter than 16 characters`);
    } else if (keys.some((known) => known.key === key)) {
      problems.push(`REMEMBR_API_KEYS entry ${i + 1} repeats a key given earlier`);
    } else {
      keys.push({ userId: user, key });
    }
  });
  return keys;
}

/** Where the configured store is, for log lines: a URL's host and port, the Sentinels, never a password. */
export function describeStore(config: Pick<Config, 'redisUrl' | 'redisSentinels' | 'redisSentinelName'>): string {
  if (config.redisSentinels) {
    return `primary "${config.redisSentinelName}" of the Sentinels at ${config.redisSentinels.map(({ host, port }) => `${host}:${port}`).join(',')}`;
  }
  return describeRedisUrl(config.redisUrl);
}

/** The host and port of a Redis URL, for log lines: never the user or password. */
export function describeRedisUrl(redisUrl: string | undefined): string {
  if (!redisUrl) return 'embedded in-memory store';
  try {
    const url = new URL(redisUrl);
    return `${url.protocol}//${url.hostname}:${url.port || 6379}`;
  } catch {
    return 'invalid Redis URL';
  }
}
