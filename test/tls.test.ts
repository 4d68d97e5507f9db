import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/index.js';
import { createRemembr, loadConfig, makeKey, type Remembr, type RemembrOptions } from '../src/index.js';
import { testConfig } from './support/app.js';
import { captureLog } from './support/log-capture.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';
import { REDIS_ACL_PASSWORD, REDIS_PASSWORD } from './support/secrets.js';

/** Everything a test of a refused connection needs: a short wait, so a refusal costs well under a second each. */
const QUICK = { redisConnectTimeoutMs: 300, redisCommandTimeoutMs: 300 } as const;

/** A Remembr on the given options, closed after the test; its log lines are kept for inspection. */
async function open(options: RemembrOptions) {
  const log = captureLog('debug');
  const remembr = await createRemembr({ ...options, logger: log.logger });
  opened.push(remembr);
  return { remembr, log };
}
const opened: Remembr[] = [];
afterAll(async () => {
  await Promise.all(opened.map((remembr) => remembr.close()));
});

/** A CA, a server certificate it signed for 127.0.0.1, and a second CA that signed nothing we use. */
interface TestPki {
  dir: string;
  ca: string;
  otherCa: string;
  cert: string;
  key: string;
}

function makePki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'remembr-tls-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  // EC keys: quick to make, and redis-server and Node both take them.
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', '-new', ...ecKey, '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '2', '-subj', '/CN=Remembr test CA');
  openssl('req', '-x509', '-new', ...ecKey, '-keyout', file('other-ca.key'), '-out', file('other-ca.crt'), '-days', '2', '-subj', '/CN=Someone else');
  openssl('req', '-new', ...ecKey, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=localhost');
  writeFileSync(
    file('server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n',
  );
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-out', file('server.crt'), '-days', '2', '-extfile', file('server.ext'));
  return { dir, ca: file('ca.crt'), otherCa: file('other-ca.crt'), cert: file('server.crt'), key: file('server.key') };
}

describe('rediss:// to a redis-server with a self-signed certificate made at test time', () => {
  let pki: TestPki;
  let server: RedisServer;

  beforeAll(async () => {
    pki = makePki();
    server = await startRedisServer({ tls: { cert: pki.cert, key: pki.key, ca: pki.ca } });
  });
  afterAll(async () => {
    await server?.stop();
    if (pki) rmSync(pki.dir, { recursive: true, force: true });
  });

  it('serves TLS only on its port', () => {
    expect(server.url).toMatch(/^rediss:\/\/127\.0\.0\.1:\d+$/);
  });

  it('connects with the CA file and every cache operation works', async () => {
    const { remembr } = await open({ redisUrl: server.url, redisTlsCaFile: pki.ca });
    expect(remembr.store.kind).toBe('redis');
    expect(await remembr.health()).toBe('healthy');
    const key = makeKey('tls', 'user', '1');
    expect(await remembr.cache.set(key, { over: 'tls' }, 60)).toBe(true);
    expect(await remembr.cache.get(key)).toEqual({ over: 'tls' });
    expect(await remembr.cache.increment(makeKey('tls', 'n'))).toBe(1);
  });

  it('connects through the environment: REDIS_URL=rediss://… and REDIS_TLS_CA_FILE', async () => {
    const config = loadConfig({ REDIS_URL: server.url, REDIS_TLS_CA_FILE: pki.ca });
    const { remembr } = await open(config);
    expect(await remembr.health()).toBe('healthy');
  });

  it('refuses the server without the CA: health is unhealthy and commands degrade', async () => {
    const { remembr, log } = await open({ redisUrl: server.url, ...QUICK });
    expect(await remembr.health()).toBe('unhealthy');
    expect(await remembr.cache.set(makeKey('tls', 'x'), 1)).toBe(false);
    expect(await remembr.cache.get(makeKey('tls', 'x'))).toBeNull();
    // The reason is in the log: the certificate could not be verified.
    expect(log.text()).toMatch(/certificate/i);
  });

  it('refuses the server when the CA given is not the one that signed it', async () => {
    const { remembr } = await open({ redisUrl: server.url, redisTlsCaFile: pki.otherCa, ...QUICK });
    expect(await remembr.health()).toBe('unhealthy');
  });

  it('connects without the CA when redisTlsInsecure is set', async () => {
    const { remembr } = await open({ redisUrl: server.url, redisTlsInsecure: true });
    expect(await remembr.health()).toBe('healthy');
    expect(await remembr.cache.set(makeKey('tls', 'insecure'), 1)).toBe(true);
  });

  it('cannot be reached with plain redis:// on the same port', async () => {
    const { remembr } = await open({ redisUrl: server.url.replace('rediss://', 'redis://'), ...QUICK });
    expect(await remembr.health()).not.toBe('healthy');
  });
});

describe('rediss:// with a password, the way a hosted Redis is reached', () => {
  let pki: TestPki;
  let server: RedisServer;

  beforeAll(async () => {
    pki = makePki();
    server = await startRedisServer({ tls: { cert: pki.cert, key: pki.key, ca: pki.ca }, password: REDIS_PASSWORD });
  });
  afterAll(async () => {
    await server?.stop();
    if (pki) rmSync(pki.dir, { recursive: true, force: true });
  });

  it('connects as default:password over TLS', async () => {
    const url = server.url.replace('rediss://:', 'rediss://default:');
    expect(url).toContain('default:');
    const { remembr, log } = await open({ redisUrl: url, redisTlsCaFile: pki.ca });
    expect(await remembr.health()).toBe('healthy');
    expect(log.text()).not.toContain(REDIS_PASSWORD);
  });
});

describe('password and ACL authentication', () => {
  const ACL_USER = 'remembr-app';
  /** Wrong on purpose. It extends the real password, so the run-wide secret scan also catches it in a log line. */
  const WRONG_PASSWORD = `${REDIS_PASSWORD}-but-wrong`;
  let server: RedisServer;
  const url = (credentials: string) => `redis://${credentials}@127.0.0.1:${server.port}`;

  beforeAll(async () => {
    server = await startRedisServer({
      password: REDIS_PASSWORD,
      // An ACL user that may only touch Remembr's keys: every key Remembr writes must start with `remembr:`.
      args: ['--user', ACL_USER, 'on', `>${REDIS_ACL_PASSWORD}`, '~remembr:*', '&*', '+@all'],
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('connects to a server with requirepass', async () => {
    const { remembr } = await open({ redisUrl: url(`:${encodeURIComponent(REDIS_PASSWORD)}`) });
    expect(await remembr.health()).toBe('healthy');
    expect(await remembr.cache.set(makeKey('auth', 'k'), 1)).toBe(true);
  });

  it('connects as an ACL user limited to remembr:* keys, and every cache operation stays inside them', async () => {
    const { remembr } = await open({ redisUrl: url(`${ACL_USER}:${encodeURIComponent(REDIS_ACL_PASSWORD)}`) });
    expect(await remembr.health()).toBe('healthy');
    const { cache } = remembr;
    const key = makeKey('auth', 'acl', 'k');
    expect(await cache.set(key, { ok: true }, 60)).toBe(true);
    expect(await cache.get(key)).toEqual({ ok: true });
    expect(await cache.setMany({ [makeKey('auth', 'acl', 'a')]: 1, [makeKey('auth', 'acl', 'b')]: 2 }, 60)).toBe(true);
    expect(await cache.increment(makeKey('auth', 'acl', 'n'), 3)).toBe(3);
    expect(await cache.deletePattern('remembr:auth:acl:*')).toBe(4);
    // The ACL is real: a key outside remembr:* is refused by Redis (and degrades like any failure).
    expect(await cache.set('outside:key', 1)).toBe(false);
  });

  it.each([
    ['a wrong password', () => url(`:${encodeURIComponent(WRONG_PASSWORD)}`)],
    ['a wrong password for the ACL user', () => url(`${ACL_USER}:${encodeURIComponent(WRONG_PASSWORD)}`)],
    ['an unknown user', () => url(`nobody:${encodeURIComponent(WRONG_PASSWORD)}`)],
  ])('fails with %s, and the password appears in no error and no log line', async (_label, makeUrl) => {
    const { remembr, log } = await open({ redisUrl: makeUrl(), ...QUICK });
    expect(await remembr.health()).not.toBe('healthy');
    expect(await remembr.cache.set(makeKey('auth', 'k'), 1)).toBe(false);
    const error = await remembr.store.ping().then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(error).toBeInstanceOf(Error);
    const said = [error!.message, String((error!.cause as Error | undefined)?.message ?? ''), log.text()].join('\n');
    expect(said).toMatch(/unavailable/);
    for (const secret of [WRONG_PASSWORD, REDIS_PASSWORD, REDIS_ACL_PASSWORD]) {
      expect(said).not.toContain(secret);
      expect(said).not.toContain(encodeURIComponent(secret));
    }
    // The server said why, and that reached the log without the password.
    expect(log.text()).toMatch(/WRONGPASS|NOAUTH|auth/i);
  });

  it('keeps the password out of every log line of the HTTP service and its health answer', async () => {
    const log = captureLog('trace');
    const app = await buildApp({
      config: testConfig({ redisUrl: url(`:${encodeURIComponent(WRONG_PASSWORD)}`), ...QUICK }),
      logger: log.logger,
    });
    try {
      await app.ready();
      const res = await app.inject({ method: 'GET', url: '/api/v1/health' });
      expect(res.json()).toMatchObject({ status: 'degraded', redis_status: 'unhealthy' });
      expect(res.body).not.toContain(WRONG_PASSWORD);
      expect(log.text()).toContain(`redis://127.0.0.1:${server.port}`);
      expect(log.text()).not.toContain(WRONG_PASSWORD);
      expect(log.text()).not.toContain(encodeURIComponent(WRONG_PASSWORD));
    } finally {
      await app.close();
    }
  });
});
