import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort, startRedisServer, type RedisServer } from './redis-server.js';

const run = promisify(execFile);

/**
 * A Redis Cluster of the test's own: three masters, no replicas, each a redis-server with its own directory and
 * cluster config file on free ports. Fault tests kill and restart single nodes; a restarted node reads its
 * nodes.conf again and takes back its slots.
 */
export interface RedisCluster {
  /** The masters, in the order their slot ranges were assigned (node 0 holds slot 0). */
  readonly nodes: readonly RedisServer[];
  /** A seed node's URL, as REDIS_URL would give it (with the password when there is one). */
  readonly url: string;
  /**
   * Resolves once every given node (all by default) reports `cluster_state:<state>`. For `ok` it also waits until
   * no node flags another as failing: a node keeps a restarted master flagged for a while, and until it clears the
   * flag it would not notice that master failing again.
   */
  waitForState(state: 'ok' | 'fail', nodes?: readonly RedisServer[]): Promise<void>;
  /** The flags each given node sees on `node` in CLUSTER NODES (`master`, `fail?`, `fail`, …). */
  flagsOf(node: RedisServer, seenBy: readonly RedisServer[]): Promise<string[][]>;
  /** The node that serves a hash slot, as the cluster itself says (CLUSTER NODES on a running node). */
  masterOf(slot: number): Promise<RedisServer>;
  /** A redis-cli command against one node; its reply as text. */
  cli(node: RedisServer, ...args: string[]): Promise<string>;
  /** Stops every node and removes their directories. */
  stop(): Promise<void>;
}

export interface RedisClusterOptions {
  /** Extra redis-server arguments for every node, e.g. ['--cluster-require-full-coverage', 'no']. */
  args?: string[];
  /** Password of the default user on every node. */
  password?: string;
}

const NODES = 3;

export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const auth = options.password ? ['--masterauth', options.password] : [];
  const nodes: RedisServer[] = [];
  try {
    for (let i = 0; i < NODES; i++) {
      // The cluster bus would sit at port + 10000, which may not be free or may not even exist; name it.
      const busPort = await freePort();
      nodes.push(
        await startRedisServer({
          password: options.password,
          args: [
            '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-port', String(busPort),
            '--cluster-node-timeout', '2000', ...auth, ...(options.args ?? []),
          ],
        }),
      );
    }
  } catch (err) {
    await Promise.all(nodes.map((node) => node.stop()));
    throw err;
  }

  // The password goes through the environment: never on a command line that `ps` shows.
  const env = options.password ? { ...process.env, REDISCLI_AUTH: options.password } : process.env;
  const cli = async (node: RedisServer, ...args: string[]) =>
    (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(node.port), ...args], { env })).stdout;
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
  };

  /** Lines read `<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot or range>…`. */
  const table = async (seenBy: RedisServer) =>
    (await cli(seenBy, 'CLUSTER', 'NODES').catch(() => ''))
      .trim()
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => line.split(' '));
  const flagsOf = (node: RedisServer, seenBy: readonly RedisServer[]) =>
    Promise.all(
      seenBy.map(async (observer) => (await table(observer)).find((fields) => fields[1]?.startsWith(`127.0.0.1:${node.port}@`))?.[2]?.split(',') ?? []),
    );
  const waitForState = async (state: 'ok' | 'fail', which: readonly RedisServer[] = nodes) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const states = await Promise.all(
        which.map(async (node) => /cluster_state:(\w+)/.exec(await cli(node, 'CLUSTER', 'INFO').catch(() => ''))?.[1]),
      );
      const flagged =
        state === 'ok' && (await Promise.all(which.map(table))).some((rows) => rows.some((fields) => /(^|,)fail\??(,|$)/.test(fields[2] ?? '')));
      if (states.every((seen) => seen === state) && !flagged) return;
      if (Date.now() > deadline) throw new Error(`cluster state is ${states.join(', ')}, not ${state}, after 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const masterOf = async (slot: number) => {
    let rows: string[][] = [];
    for (const node of nodes) {
      rows = await table(node);
      if (rows.length > 0) break;
    }
    for (const fields of rows) {
      const port = Number(/:(\d+)@/.exec(fields[1] ?? '')?.[1]);
      const serves = fields.slice(8).some((range) => {
        const [from, to = from] = range.split('-').map(Number);
        return slot >= from! && slot <= to!;
      });
      const node = nodes.find((candidate) => candidate.port === port);
      if (serves && node) return node;
    }
    throw new Error(`no node of the cluster serves slot ${slot}`);
  };

  try {
    await run(
      'redis-cli',
      ['--cluster', 'create', ...nodes.map((node) => `127.0.0.1:${node.port}`), '--cluster-replicas', '0', '--cluster-yes'],
      { env },
    );
    await waitForState('ok');
  } catch (err) {
    await stop();
    throw err;
  }
  return { nodes, url: nodes[0]!.url, waitForState, flagsOf, masterOf, cli, stop };
}
