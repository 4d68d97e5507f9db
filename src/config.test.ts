import { describe, expect, it } from 'vitest';
import { DEFAULTS, describeRedisUrl, describeStore, loadConfig } from './config.js';
import { ConfigError } from './errors.js';

const PASSWORD = 'pa55-w0rd-never-shown';
const API_KEY = 'alice-key-0123456789abcdef';

/** The ConfigError loadConfig throws for this environment (fails the test when it does not throw). */
function problemsOf(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(Object.keys(env))}`);
}

describe('loadConfig defaults', () => {
  it('runs locally on the embedded store with every documented default when nothing is set', () => {
    expect(loadConfig({})).toEqual({
      redisUrl: undefined,
      redisCluster: false,
      redisSentinels: undefined,
      redisSentinelName: undefined,
      redisUsername: undefined,
      redisPassword: undefined,
      redisSentinelPassword: undefined,
      clientCache: false,
      environment: 'local',
      logLevel: 'info',
      port: 8000,
      host: '127.0.0.1',
      redisMaxConnections: 20,
      redisConnections: 1,
      redisCommandTimeoutMs: 1000,
      redisWaitReplicas: 0,
      redisWaitTimeoutMs: 250,
      trustProxy: false,
      redisConnectTimeoutMs: 2000,
      redisTlsCaFile: undefined,
      redisTlsInsecure: false,
      redisTls: false,
      apiKeys: [],
      rateLimitPerMinute: 100,
      rateLimitFailMode: 'open',
      rateLimitLegacyHeaders: false,
      corsOrigins: ['http://localhost:*', 'http://127.0.0.1:*'],
      authFailuresPerMinute: 20,
      shortTermMaxTokens: 4000,
      tokenEncoding: 'cl100k_base',
      maxMessageBytes: 32768,
      bodyLimitBytes: 1048576,
      metricsToken: undefined,
      metricsPort: undefined,
      metricsHost: '127.0.0.1',
      metricsSampleIntervalMs: 5000,
      idempotencyTtlSeconds: 3600,
    });
  });

  it('treats empty and blank variables as unset', () => {
    expect(loadConfig({ REDIS_URL: '', PORT: '   ', ENVIRONMENT: '' })).toMatchObject({
      redisUrl: undefined,
      port: DEFAULTS.port,
      environment: 'local',
    });
  });

  it('reads every variable it documents', () => {
    const config = loadConfig({
      REDIS_URL: `rediss://default:${PASSWORD}@cache.example.com:6380`,
      REDIS_CLUSTER: 'true',
      ENVIRONMENT: 'staging',
      LOG_LEVEL: 'debug',
      PORT: '9000',
      HOST: '0.0.0.0',
      REDIS_MAX_CONNECTIONS: '5',
      REDIS_CONNECTIONS: '3',
      REDIS_COMMAND_TIMEOUT_MS: '250',
      REDIS_CONNECT_TIMEOUT_MS: '500',
      REDIS_TLS_CA_FILE: '/etc/ssl/ca.pem',
      REDIS_TLS_INSECURE: 'yes',
      REMEMBR_API_KEYS: `alice:${API_KEY}, bob:bob-key-fedcba9876543210`,
      RATE_LIMIT_PER_MINUTE: '7',
      RATE_LIMIT_FAIL_MODE: 'closed',
      RATE_LIMIT_LEGACY_HEADERS: 'true',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:*',
      AUTH_FAILURES_PER_MINUTE: '3',
      SHORT_TERM_MAX_TOKENS: '1000',
      TOKEN_ENCODING: 'o200k_base',
      MAX_MESSAGE_BYTES: '2048',
      BODY_LIMIT_BYTES: '4096',
      METRICS_TOKEN: 'metrics-token-0123456789',
      METRICS_PORT: '9100',
      METRICS_HOST: '10.0.0.5',
      METRICS_SAMPLE_INTERVAL_MS: '2000',
      IDEMPOTENCY_TTL_SECONDS: '120',
    });
    expect(config).toEqual({
      redisUrl: `rediss://default:${PASSWORD}@cache.example.com:6380`,
      redisCluster: true,
      redisSentinels: undefined,
      redisSentinelName: undefined,
      redisUsername: undefined,
      redisPassword: undefined,
      redisSentinelPassword: undefined,
      clientCache: false,
      environment: 'staging',
      logLevel: 'debug',
      port: 9000,
      host: '0.0.0.0',
      redisMaxConnections: 5,
      redisConnections: 3,
      redisCommandTimeoutMs: 250,
      redisWaitReplicas: 0,
      redisWaitTimeoutMs: 250,
      trustProxy: false,
      redisConnectTimeoutMs: 500,
      redisTlsCaFile: '/etc/ssl/ca.pem',
      redisTlsInsecure: true,
      redisTls: false,
      apiKeys: [
        { userId: 'alice', key: API_KEY },
        { userId: 'bob', key: 'bob-key-fedcba9876543210' },
      ],
      rateLimitPerMinute: 7,
      rateLimitFailMode: 'closed',
      rateLimitLegacyHeaders: true,
      corsOrigins: ['https://app.example.com', 'http://localhost:*'],
      authFailuresPerMinute: 3,
      shortTermMaxTokens: 1000,
      tokenEncoding: 'o200k_base',
      maxMessageBytes: 2048,
      bodyLimitBytes: 4096,
      metricsToken: 'metrics-token-0123456789',
      metricsPort: 9100,
      metricsHost: '10.0.0.5',
      metricsSampleIntervalMs: 2000,
      idempotencyTtlSeconds: 120,
    });
  });

  it.each([
    ['false', false],
    ['0', false],
    ['TRUE', true],
    ['1', true],
  ])('reads REDIS_CLUSTER=%s as %s', (value, cluster) => {
    expect(loadConfig({ REDIS_URL: 'redis://seed.example.com:7000/0', REDIS_CLUSTER: value }).redisCluster).toBe(cluster);
  });

  it('turns CORS off by default outside local, and reads * and none', () => {
    const production = { ENVIRONMENT: 'production', REDIS_URL: 'redis://cache:6379', REMEMBR_API_KEYS: `alice:${API_KEY}` };
    expect(loadConfig(production).corsOrigins).toEqual([]);
    expect(loadConfig({ ENVIRONMENT: 'staging' }).corsOrigins).toEqual([]);
    expect(loadConfig({ ...production, CORS_ORIGINS: 'https://app.example.com' }).corsOrigins).toEqual(['https://app.example.com']);
    expect(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
    expect(loadConfig({ CORS_ORIGINS: 'none' }).corsOrigins).toEqual([]);
    expect(() => loadConfig({ CORS_ORIGINS: 'app.example.com' })).toThrow(/CORS_ORIGINS: "app.example.com" is not an origin/);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://app.example.com/path' })).toThrow(/CORS_ORIGINS/);
  });

  it('lets one user hold several keys, for rotation', () => {
    const config = loadConfig({ REMEMBR_API_KEYS: `alice:${API_KEY},alice:alice-next-key-0123456789` });
    expect(config.apiKeys.map((k) => k.userId)).toEqual(['alice', 'alice']);
  });
});

describe('loadConfig refuses bad values, naming the variable', () => {
  it('turns the client cache on with REDIS_CLIENT_CACHE, with the default bounds or the ones given', () => {
    expect(loadConfig({}).clientCache).toBe(false);
    expect(loadConfig({ REDIS_CLIENT_CACHE: 'off' }).clientCache).toBe(false);
    expect(loadConfig({ REDIS_CLIENT_CACHE: 'on' }).clientCache).toEqual({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024, maxAgeMs: 60_000 });
    expect(loadConfig({ REDIS_CLIENT_CACHE: 'max_entries=500, max_bytes=1048576' }).clientCache).toEqual({
      maxEntries: 500,
      maxBytes: 1_048_576,
      maxAgeMs: 60_000,
    });
  });

  it('refuses a REDIS_CLIENT_CACHE it cannot read, naming what is allowed, and the client cache on a cluster', () => {
    expect(problemsOf({ REDIS_CLIENT_CACHE: 'size=5' })).toMatch(/REDIS_CLIENT_CACHE has "size", which is not a setting \(expected off, on, or max_entries=N,max_bytes=N,max_age_ms=N\)/);
    expect(problemsOf({ REDIS_CLIENT_CACHE: 'max_entries=0' })).toMatch(/REDIS_CLIENT_CACHE max_entries must be a whole number from 1 to 10000000 \(got "0"\)/);
    expect(problemsOf({ REDIS_CLIENT_CACHE: 'max_age_ms=soon' })).toMatch(/max_age_ms must be a whole number/);
    expect(problemsOf({ REDIS_URL: 'redis://127.0.0.1:7000', REDIS_CLUSTER: 'true', REDIS_CLIENT_CACHE: 'on' })).toMatch(
      /REDIS_CLIENT_CACHE is not available with REDIS_CLUSTER/,
    );
  });

  it('keeps REDIS_CONNECTIONS within REDIS_MAX_CONNECTIONS', () => {
    expect(() => loadConfig({ REDIS_MAX_CONNECTIONS: '2', REDIS_CONNECTIONS: '3' })).toThrow(/REDIS_CONNECTIONS \(3\) cannot exceed REDIS_MAX_CONNECTIONS \(2\)/);
    expect(loadConfig({ REDIS_MAX_CONNECTIONS: '1' }).redisConnections).toBe(1);
  });

  it.each([
    ['ENVIRONMENT', 'prod', /ENVIRONMENT must be one of local, staging, production \(got "prod"\)/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/],
    ['PORT', 'eighty', /PORT must be a whole number from 0 to 65535 \(got "eighty"\)/],
    ['PORT', '65536', /PORT must be a whole number from 0 to 65535/],
    ['PORT', '-1', /PORT must be a whole number/],
    ['PORT', '80.5', /PORT must be a whole number/],
    ['PORT', '1e3', /PORT must be a whole number/],
    ['REDIS_MAX_CONNECTIONS', '0', /REDIS_MAX_CONNECTIONS must be a whole number from 1 to 1000/],
    ['REDIS_MAX_CONNECTIONS', '20 ', null],
    ['REDIS_COMMAND_TIMEOUT_MS', '5', /REDIS_COMMAND_TIMEOUT_MS must be a whole number from 10 to 60000/],
    ['REDIS_CONNECT_TIMEOUT_MS', 'soon', /REDIS_CONNECT_TIMEOUT_MS must be a whole number/],
    ['REDIS_TLS_INSECURE', 'maybe', /REDIS_TLS_INSECURE must be true or false/],
    ['RATE_LIMIT_PER_MINUTE', '0', /RATE_LIMIT_PER_MINUTE must be a whole number from 1/],
    ['RATE_LIMIT_FAIL_MODE', 'sometimes', /RATE_LIMIT_FAIL_MODE must be one of open, closed/],
    ['AUTH_FAILURES_PER_MINUTE', 'x', /AUTH_FAILURES_PER_MINUTE must be a whole number/],
    ['SHORT_TERM_MAX_TOKENS', '8', /SHORT_TERM_MAX_TOKENS must be a whole number from 16/],
    ['MAX_MESSAGE_BYTES', '0', /MAX_MESSAGE_BYTES must be a whole number from 1/],
    ['MAX_MESSAGE_BYTES', '1048577', /MAX_MESSAGE_BYTES must be a whole number from 1 to 1048576/],
    ['TOKEN_ENCODING', 'p50k_base', /TOKEN_ENCODING must be one of cl100k_base, o200k_base/],
    ['BODY_LIMIT_BYTES', '10', /BODY_LIMIT_BYTES must be a whole number from 1024/],
    ['METRICS_TOKEN', 'short-secret', /METRICS_TOKEN must be at least 16 characters \(got 12\)/],
    ['METRICS_PORT', 'nine', /METRICS_PORT must be a whole number from 0 to 65535/],
    ['METRICS_SAMPLE_INTERVAL_MS', '-5', /METRICS_SAMPLE_INTERVAL_MS must be a whole number/],
    ['REDIS_URL', 'http://cache.example.com:6379', /REDIS_URL must start with redis:\/\/ or rediss:\/\/ \(got http:\/\/\)/],
    ['REDIS_URL', 'cache.example.com:6379', /REDIS_URL must start with redis:\/\/ or rediss:\/\//],
    ['REDIS_URL', 'not a url', /REDIS_URL is not a valid URL/],
    ['REDIS_URL', 'redis://', /REDIS_URL (has no host|is not a valid URL)/],
  ])('%s=%j', (name, value, message) => {
    if (message === null) {
      // Surrounding blanks are trimmed, so this one is accepted.
      expect(() => loadConfig({ [name]: value })).not.toThrow();
      return;
    }
    expect(problemsOf({ [name]: value })).toMatch(message);
  });

  it.each([
    ['an entry without a user', API_KEY, /REMEMBR_API_KEYS entry 1 must be "user:key"/],
    ['a user id with a space', `al ice:${API_KEY}`, /REMEMBR_API_KEYS entry 1 must be "user:key"/],
    ['a user id of ".."', `..:${API_KEY}`, /REMEMBR_API_KEYS entry 1 must be "user:key" .*not "\." or "\.\."/],
    ['a key shorter than 16 characters', 'alice:tiny-k3y', /REMEMBR_API_KEYS entry 1 \(user alice\) has a key shorter than 16 characters/],
    ['a repeated key', `alice:${API_KEY},bob:${API_KEY}`, /REMEMBR_API_KEYS entry 2 repeats a key given earlier/],
  ])('REMEMBR_API_KEYS with %s is refused without showing the key', (_label, value, message) => {
    const text = problemsOf({ REMEMBR_API_KEYS: value });
    expect(text).toMatch(message);
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain('tiny-k3y');
  });

  it('refuses REDIS_CLUSTER that is not a flag, and a cluster without a seed', () => {
    expect(problemsOf({ REDIS_URL: 'redis://seed:7000', REDIS_CLUSTER: 'sometimes' })).toMatch(/REDIS_CLUSTER must be true or false/);
    expect(problemsOf({ REDIS_CLUSTER: 'true' })).toMatch(/REDIS_CLUSTER needs REDIS_URL \(one seed node of the cluster\)/);
  });

  it('refuses a database other than 0 for a cluster, but not for a single server', () => {
    const text = problemsOf({ REDIS_URL: `redis://:${PASSWORD}@seed:7000/3`, REDIS_CLUSTER: 'true' });
    expect(text).toMatch(/REDIS_URL selects database 3, but Redis Cluster has only database 0/);
    expect(text).not.toContain(PASSWORD);
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379/3' }).redisCluster).toBe(false);
  });

  it('reports every bad variable at once, one per line', () => {
    const text = problemsOf({ PORT: 'x', LOG_LEVEL: 'loud', ENVIRONMENT: 'prod' });
    expect(text.split('\n')).toEqual([
      'Invalid configuration:',
      expect.stringMatching(/^- ENVIRONMENT /),
      expect.stringMatching(/^- LOG_LEVEL /),
      expect.stringMatching(/^- PORT /),
    ]);
  });
});

describe('loadConfig for Redis Sentinel', () => {
  const sentinels = { REDIS_SENTINELS: 'sentinel-a:26379, 10.0.0.7:26380,[::1]:26381', REDIS_SENTINEL_NAME: 'mymaster' };

  it('reads the Sentinels, the name, the credentials and TLS', () => {
    const config = loadConfig({
      ...sentinels,
      REDIS_USERNAME: 'remembr',
      REDIS_PASSWORD: PASSWORD,
      REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
      REDIS_TLS: 'true',
    });
    expect(config).toMatchObject({
      redisUrl: undefined,
      redisSentinels: [
        { host: 'sentinel-a', port: 26379 },
        { host: '10.0.0.7', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      redisSentinelName: 'mymaster',
      redisUsername: 'remembr',
      redisPassword: PASSWORD,
      redisSentinelPassword: 'sentinel-secret',
      redisTls: true,
    });
  });

  it('is enough for production without REDIS_URL', () => {
    expect(loadConfig({ ...sentinels, ENVIRONMENT: 'production', REMEMBR_API_KEYS: `alice:${API_KEY}` }).redisSentinelName).toBe('mymaster');
  });

  it.each([
    ['sentinel-a', /REDIS_SENTINELS entry 1 must be host:port with a port from 1 to 65535 \(got "sentinel-a"\)/],
    ['a:26379,b:0', /REDIS_SENTINELS entry 2 must be host:port/],
    ['a:26379,,b:1', /REDIS_SENTINELS entry 2 must be host:port/],
    ['a:99999', /REDIS_SENTINELS entry 1 must be host:port/],
  ])('refuses REDIS_SENTINELS=%s, naming the entry', (value, message) => {
    expect(problemsOf({ REDIS_SENTINELS: value, REDIS_SENTINEL_NAME: 'mymaster' })).toMatch(message);
  });

  it('needs a name, and a name needs Sentinels', () => {
    expect(problemsOf({ REDIS_SENTINELS: 'a:26379' })).toMatch(/REDIS_SENTINELS needs REDIS_SENTINEL_NAME/);
    expect(problemsOf({ REDIS_SENTINEL_NAME: 'mymaster' })).toMatch(/REDIS_SENTINEL_NAME needs REDIS_SENTINELS/);
    expect(problemsOf({ ...sentinels, REDIS_SENTINEL_NAME: 'my master!' })).toMatch(/REDIS_SENTINEL_NAME must be 1 to 64 letters/);
  });

  it('refuses REDIS_URL or REDIS_CLUSTER beside REDIS_SENTINELS', () => {
    expect(problemsOf({ ...sentinels, REDIS_URL: 'redis://cache:6379' })).toMatch(/REDIS_SENTINELS and REDIS_URL are two ways to find Redis: set one of them/);
    expect(problemsOf({ ...sentinels, REDIS_URL: 'redis://cache:6379', REDIS_CLUSTER: 'true' })).toMatch(/REDIS_SENTINELS cannot be combined with REDIS_CLUSTER/);
  });

  it('refuses the Sentinel-only credentials and TLS with REDIS_URL, without echoing a password', () => {
    const text = problemsOf({ REDIS_URL: 'redis://cache:6379', REDIS_PASSWORD: PASSWORD, REDIS_SENTINEL_PASSWORD: PASSWORD, REDIS_TLS: 'yes' });
    expect(text).toMatch(/REDIS_PASSWORD is only for REDIS_SENTINELS; with REDIS_URL put the credentials in the URL/);
    expect(text).toMatch(/REDIS_SENTINEL_PASSWORD is only for REDIS_SENTINELS/);
    expect(text).toMatch(/REDIS_TLS is only for REDIS_SENTINELS; with REDIS_URL use a rediss:\/\/ URL/);
    expect(text).not.toContain(PASSWORD);
  });

  it('describes the store by its Sentinels, never a password', () => {
    const config = loadConfig({ ...sentinels, REDIS_PASSWORD: PASSWORD });
    expect(describeStore(config)).toBe('primary "mymaster" of the Sentinels at sentinel-a:26379,10.0.0.7:26380,::1:26381');
  });
});

describe('loadConfig for durable acknowledgements', () => {
  it('reads REDIS_WAIT_REPLICAS and REDIS_WAIT_TIMEOUT_MS', () => {
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379', REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '200' })).toMatchObject({
      redisWaitReplicas: 1,
      redisWaitTimeoutMs: 200,
    });
  });

  it('keeps the wait inside the command timeout, and needs Redis', () => {
    expect(problemsOf({ REDIS_URL: 'redis://cache:6379', REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '1000' })).toMatch(
      /REDIS_WAIT_TIMEOUT_MS \(1000\) must be below REDIS_COMMAND_TIMEOUT_MS \(1000\)/,
    );
    expect(problemsOf({ REDIS_WAIT_REPLICAS: '1' })).toMatch(/REDIS_WAIT_REPLICAS needs Redis/);
    expect(problemsOf({ REDIS_URL: 'redis://cache:6379', REDIS_WAIT_REPLICAS: 'all' })).toMatch(/REDIS_WAIT_REPLICAS must be a whole number from 0 to 64/);
  });
});

describe('loadConfig in production', () => {
  it('requires REDIS_URL and REMEMBR_API_KEYS', () => {
    const text = problemsOf({ ENVIRONMENT: 'production' });
    expect(text).toMatch(/REDIS_URL is required in production/);
    expect(text).toMatch(/REMEMBR_API_KEYS is required in production/);
  });

  it('requires REMEMBR_API_KEYS even with a Redis', () => {
    const text = problemsOf({ ENVIRONMENT: 'production', REDIS_URL: 'redis://cache:6379' });
    expect(text).not.toMatch(/REDIS_URL/);
    expect(text).toMatch(/REMEMBR_API_KEYS is required in production/);
  });

  it('refuses REDIS_TLS_INSECURE', () => {
    const text = problemsOf({
      ENVIRONMENT: 'production',
      REDIS_URL: 'rediss://cache:6379',
      REMEMBR_API_KEYS: `alice:${API_KEY}`,
      REDIS_TLS_INSECURE: 'true',
    });
    expect(text).toMatch(/REDIS_TLS_INSECURE cannot be set in production/);
  });

  it('starts with both set', () => {
    const config = loadConfig({ ENVIRONMENT: 'production', REDIS_URL: 'rediss://cache:6379', REMEMBR_API_KEYS: `alice:${API_KEY}` });
    expect(config.environment).toBe('production');
  });

  it('does not require them in staging', () => {
    expect(loadConfig({ ENVIRONMENT: 'staging' }).redisUrl).toBeUndefined();
  });
});

describe('the Redis password stays secret', () => {
  // Each URL carries the password and is wrong in some other way, so loadConfig has something to say about it.
  const BAD_URLS_WITH_PASSWORD = [
    `http://user:${PASSWORD}@cache.example.com:6379`,
    `redis://user:${PASSWORD}@cache.example.com:notaport`,
    `redis://user:${PASSWORD}@`,
    `redis:/user:${PASSWORD}@cache.example.com`,
    `redis://user:${PASSWORD}@cache example.com`,
    `user:${PASSWORD}@cache.example.com:6379`,
    `rediss://:${PASSWORD}@[::1:6379`,
  ];

  it.each(BAD_URLS_WITH_PASSWORD)('a bad REDIS_URL is reported without its password: %s', (url) => {
    const text = problemsOf({ REDIS_URL: url, ENVIRONMENT: 'production' });
    expect(text).toMatch(/REDIS_URL/);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(encodeURIComponent(PASSWORD));
  });

  it.each([
    [`redis://default:${PASSWORD}@cache.example.com:6380/2`, 'redis://cache.example.com:6380'],
    [`rediss://:${PASSWORD}@cache.example.com`, 'rediss://cache.example.com:6379'],
    [`redis://alice:${encodeURIComponent('p@ss:w/rd?#')}@10.0.0.5:7000`, 'redis://10.0.0.5:7000'],
    [`redis://user:${PASSWORD}@cache example.com`, 'invalid Redis URL'],
    [undefined, 'embedded in-memory store'],
  ])('describeRedisUrl(%j) shows the host only', (url, described) => {
    expect(describeRedisUrl(url)).toBe(described);
    expect(describeRedisUrl(url)).not.toMatch(/pa55|p@ss|alice|default/);
  });

  it('is kept in the loaded config, for the store to use', () => {
    expect(loadConfig({ REDIS_URL: `redis://:${PASSWORD}@cache:6379` }).redisUrl).toContain(PASSWORD);
  });
});
