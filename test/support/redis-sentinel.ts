import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RedisNodeAddress } from '../../src/config.js';
import { freePort, redisServerPath, startRedisServer, waitForPort, type RedisServer } from './redis-server.js';

const run = promisify(execFile);

/**
 * A Redis Sentinel set of the test's own: a primary, one replica and three Sentinels (redis-server in Sentinel
 * mode, as Debian's redis-sentinel runs it), every process on a free port with its own directory. Fault tests kill
 * the primary; the Sentinels agree it is down after `downAfterMs` and promote the replica.
 */
export interface RedisSentinelSet {
  /** The name the Sentinels monitor the primary under. */
  readonly name: string;
  /** The data nodes: the first primary, then its replica. After a failover the roles differ: ask `primary()`. */
  readonly nodes: readonly RedisServer[];
  /** Where the Sentinels listen, as REDIS_SENTINELS lists them. */
  readonly sentinels: readonly RedisNodeAddress[];
  /** `host:port,…` of the Sentinels, as the REDIS_SENTINELS variable. */
  readonly sentinelList: string;
  /** The node the Sentinels name as primary now. */
  primary(): Promise<RedisServer>;
  /** Resolves once the Sentinels name a primary other than `victim`; returns it. */
  waitForFailover(victim: RedisServer): Promise<RedisServer>;
  /** Resolves once the replicas of the current primary have acknowledged all it has written. */
  replicasCaughtUp(): Promise<void>;
  /** A redis-cli command against a data node; its reply as text. */
  cli(node: RedisServer, ...args: string[]): Promise<string>;
  /** Stops every process and removes their directories. */
  stop(): Promise<void>;
}

export interface RedisSentinelOptions {
  /** Password of the default user on the primary and the replica (the Sentinels use it too). */
  password?: string;
  /** Extra redis-server arguments for both data nodes, e.g. ['--appendonly', 'yes']. */
  args?: string[];
  /**
   * Replicas of the primary. Two keep writes possible with durable acknowledgements of one replica after a
   * failover (the promoted one still has a replica to confirm them). @default 1
   */
  replicas?: number;
  /** How long the Sentinels wait before they call an unanswering primary down. @default 1000 */
  downAfterMs?: number;
}

const NAME = 'remembr-primary';

export async function startRedisSentinelSet(options: RedisSentinelOptions = {}): Promise<RedisSentinelSet> {
  const auth = options.password ? ['--masterauth', options.password] : [];
  const env = options.password ? { ...process.env, REDISCLI_AUTH: options.password } : process.env;
  const nodes: RedisServer[] = [];
  const sentinels: Array<{ port: number; stop(): Promise<void> }> = [];
  const stop = async () => {
    await Promise.all([...nodes, ...sentinels].map((process) => process.stop()));
  };
  const cli = async (node: { port: number }, ...args: string[]) =>
    (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(node.port), ...args], { env })).stdout;
  // Sentinels need no password of their own here; the one they use on the data nodes is in their config file.
  const askSentinel = async (...args: string[]) => {
    for (const sentinel of sentinels) {
      const reply = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(sentinel.port), ...args]).then(
        (done) => done.stdout,
        () => '',
      );
      if (reply) return reply;
    }
    return '';
  };

  try {
    const primary = await startRedisServer({ password: options.password, args: [...auth, ...(options.args ?? [])] });
    nodes.push(primary);
    for (let i = 0; i < (options.replicas ?? 1); i++) {
      nodes.push(
        await startRedisServer({
          password: options.password,
          args: ['--replicaof', '127.0.0.1', String(primary.port), ...auth, ...(options.args ?? [])],
        }),
      );
    }
    for (let i = 0; i < 3; i++) sentinels.push(await startSentinel(primary.port, options));

    // Ready when every Sentinel knows the replica and the two other Sentinels (they find each other through the
    // primary, every couple of seconds): before that, they could not agree that the primary is down.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const views = await Promise.all(
        sentinels.map(async (sentinel) => {
          const text = (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(sentinel.port), 'SENTINEL', 'MASTER', NAME]).catch(() => ({ stdout: '' }))).stdout;
          const fields = text.trim().split('\n');
          const field = (name: string) => fields[fields.indexOf(name) + 1];
          return field('num-slaves') === String(options.replicas ?? 1) && field('num-other-sentinels') === '2';
        }),
      );
      const links = await Promise.all(nodes.slice(1).map((node) => cli(node, 'INFO', 'replication').catch(() => '')));
      const linked = links.every((info) => /master_link_status:up/.test(info));
      if (views.every(Boolean) && linked) break;
      if (Date.now() > deadline) throw new Error('the Sentinels did not find the replica and each other within 20 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }

  const primary = async () => {
    const port = Number((await askSentinel('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', NAME)).trim().split('\n')[1]);
    const node = nodes.find((candidate) => candidate.port === port);
    if (!node) throw new Error(`the Sentinels name port ${port} as primary, which is none of the set's nodes`);
    return node;
  };
  const waitForFailover = async (victim: RedisServer) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const named = await primary().catch(() => victim);
      if (named !== victim && /role:master/.test(await cli(named, 'INFO', 'replication').catch(() => ''))) return named;
      if (Date.now() > deadline) throw new Error('the Sentinels did not promote a replica within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const replicasCaughtUp = async () => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const info = await cli(await primary(), 'INFO', 'replication');
      const offset = /master_repl_offset:(\d+)/.exec(info)?.[1];
      const replicas = [...info.matchAll(/slave\d+:.*offset=(\d+)/g)];
      if (replicas.length > 0 && replicas.every((match) => match[1] === offset)) return;
      if (Date.now() > deadline) throw new Error('the replica is still behind the primary after 20 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  const addresses = sentinels.map(({ port }) => ({ host: '127.0.0.1', port }));
  return {
    name: NAME,
    nodes,
    sentinels: addresses,
    sentinelList: addresses.map(({ host, port }) => `${host}:${port}`).join(','),
    primary,
    waitForFailover,
    replicasCaughtUp,
    cli,
    stop,
  };
}

/** One redis-server in Sentinel mode; it rewrites its config file as it learns, so the file is its own. */
async function startSentinel(primaryPort: number, options: RedisSentinelOptions): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'remembr-sentinel-'));
  const config = join(dir, 'sentinel.conf');
  const lines = [
    `port ${port}`,
    'bind 127.0.0.1',
    `dir ${dir}`,
    `logfile ${join(dir, 'sentinel.log')}`,
    `sentinel monitor ${NAME} 127.0.0.1 ${primaryPort} 2`,
    `sentinel down-after-milliseconds ${NAME} ${options.downAfterMs ?? 1000}`,
    `sentinel failover-timeout ${NAME} 10000`,
  ];
  if (options.password) lines.push(`sentinel auth-pass ${NAME} ${options.password}`);
  writeFileSync(config, `${lines.join('\n')}\n`, { mode: 0o600 });
  const child: ChildProcess = spawn(redisServerPath(), [config, '--sentinel'], { stdio: 'ignore' });
  await waitForPort(port);
  return {
    port,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
