import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server.js';
import { openRedisStore, uniqueNamespace } from '../../test/support/stores.js';
import { OutcomeUnknownError } from '../errors.js';
import type { RedisStore } from './redis-store.js';
import { defineScript } from './script.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const addScript = defineScript('test-add', new URL('../../test/support/add.lua', import.meta.url), (db, [key], [by]) => db.incrBy(key!, Number(by)));
const cli = async (node: RedisServer, ...args: string[]) => (await run('redis-cli', ['-p', String(node.port), ...args])).stdout.trim();

/**
 * Durable acknowledgements on a real primary and replica: a write is answered once the replica has it, and when the
 * replica does not confirm in time the answer is OutcomeUnknownError (the primary applied it), never a success.
 */
describe('durable acknowledgements (WAIT)', () => {
  let primary: RedisServer;
  let replica: RedisServer;
  let store: RedisStore;

  beforeAll(async () => {
    primary = await startRedisServer();
    replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(primary.port)] });
    for (let tries = 0; !/master_link_status:up/.test(await cli(replica, 'INFO', 'replication')); tries++) {
      if (tries > 200) throw new Error('the replica did not sync within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    store = openRedisStore(primary.url, { commandTimeoutMs: 2000, durability: { replicas: 1, timeoutMs: 300 } });
    await store.connect(5000);
  });
  afterAll(async () => {
    await store?.close();
    await replica?.stop();
    await primary?.stop();
  });

  it('acknowledges a write only once the replica has it: it is readable there the moment the call returns', async () => {
    const ns = uniqueNamespace();
    for (let i = 0; i < 20; i++) {
      await store.set(`${ns}:k${i}`, `v${i}`);
      expect(await cli(replica, 'GET', `${ns}:k${i}`)).toBe(`v${i}`);
    }
    await store.incrBy(`${ns}:n`, 5);
    expect(await cli(replica, 'GET', `${ns}:n`)).toBe('5');
  });

  it('answers 50 concurrent writes, each confirmed', async () => {
    const ns = uniqueNamespace();
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.set(`${ns}:c${i}`, String(i))));
    expect(Number(await cli(replica, 'EVAL', `return #redis.call('KEYS', ARGV[1])`, '0', `${ns}:c*`))).toBe(50);
  });

  // Regression: the WAIT went out behind the EVALSHA that a server without the script refuses (NOSCRIPT, as a
  // promoted replica does: scripts are not replicated), and the EVAL sent after it was acknowledged unconfirmed.
  it('waits for the EVAL a script falls back to after NOSCRIPT, not for the refused EVALSHA', async () => {
    const ns = uniqueNamespace();
    const patient = openRedisStore(primary.url, { connections: 1, commandTimeoutMs: 4000, durability: { replicas: 1, timeoutMs: 1500 } });
    try {
      await patient.connect(5000);
      await cli(primary, 'SCRIPT', 'FLUSH');
      replica.pause();
      let answered = false;
      const pending = patient.run(addScript, [`${ns}:n`], [3]).finally(() => {
        answered = true;
      });
      try {
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(answered).toBe(false);
      } finally {
        replica.resume();
      }
      expect(await pending).toBe(3);
      expect(await cli(replica, 'GET', `${ns}:n`)).toBe('3');
    } finally {
      await patient.close();
    }
  });

  it('answers OutcomeUnknownError, not success, when the replica does not confirm in time; the primary applied it', async () => {
    const ns = uniqueNamespace();
    replica.pause();
    try {
      const started = performance.now();
      const failure = await store.set(`${ns}:stalled`, 'x').then(() => undefined, (err: unknown) => err);
      expect(failure).toBeInstanceOf(OutcomeUnknownError);
      expect((failure as Error).message).toMatch(/only 0 of 1 replicas confirmed it within 300 ms/);
      // Inside the one deadline (2 s): WAIT's own timeout answered.
      expect(performance.now() - started).toBeLessThan(2000);
      expect(await cli(primary, 'GET', `${ns}:stalled`)).toBe('x');
    } finally {
      replica.resume();
    }
    // Once the replica is back, writes are confirmed again (reads never waited).
    await expect.poll(() => store.set(`${ns}:after`, 'y').then(() => true, () => false), { timeout: 10_000 }).toBe(true);
  });
});
