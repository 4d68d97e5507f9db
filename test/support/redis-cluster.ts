import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort, startRedisServer, type RedisServer } from './redis-server.js';

const run = promisify(execFile);

/**
 * A Redis Cluster of the test's own: three masters, each a redis-server with its own directory and cluster config
 * file on free ports, with no replicas (the fast default) or one or two replicas per master. Fault tests kill and restart
 * single nodes; a restarted node reads its nodes.conf again and takes back its slots, or, when its replica was
 * promoted meanwhile, comes back as that replica's replica.
 */
export interface RedisCluster {
  /**
   * Every node. The first three are the masters as created, in the order their slot ranges were assigned (node 0
   * holds slot 0); with replicas, the others are the replicas redis-cli gave them (which serves which:
   * `replicaOf`). After a failover the roles differ: ask `masterOf`.
   */
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
  /** A node that replicates `master` (the first CLUSTER NODES lists). */
  replicaOf(master: RedisServer): Promise<RedisServer>;
  /** Every node that replicates `master`. */
  replicasOf(master: RedisServer): Promise<RedisServer[]>;
  /**
   * Resolves once a node other than `victim` serves `slot` and every node still running (but `victim`; any node
   * that does not answer counts as not running) reports `cluster_state:ok`: the cluster promoted a replica by
   * itself. Returns the new master.
   */
  waitForFailover(victim: RedisServer, slot: number): Promise<RedisServer>;
  /** Resolves once every replica has acknowledged all its master has written (replication offsets equal). */
  replicasCaughtUp(): Promise<void>;
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
  /**
   * Replicas per master: none (three nodes), one (six) or two (nine). With replicas a killed master is replaced by
   * one of them after `cluster-node-timeout` instead of waiting to be restarted; with two, the other one follows
   * the promoted one, so writes that wait for a replica (durable acknowledgements) go on after the failover.
   * Slower to start, so only the failover suites ask.
   * @default 0
   */
  replicas?: 0 | 1 | 2;
}

const MASTERS = 3;

export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const auth = options.password ? ['--masterauth', options.password] : [];
  const replicas = options.replicas ?? 0;
  const nodes: RedisServer[] = [];
  try {
    for (let i = 0; i < MASTERS * (1 + replicas); i++) {
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

  /** CLUSTER NODES as the first node that answers sees it (a killed node does not). */
  const anyTable = async (except?: RedisServer) => {
    for (const node of nodes) {
      if (node === except) continue;
      const rows = await table(node);
      if (rows.length > 0) return rows;
    }
    return [];
  };
  const byAddress = (address: string | undefined) => nodes.find((node) => address?.startsWith(`127.0.0.1:${node.port}@`));

  const masterOf = async (slot: number, except?: RedisServer) => {
    const rows = await anyTable(except);
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

  const replicasOf = async (master: RedisServer) => {
    const rows = await anyTable();
    const id = rows.find((fields) => byAddress(fields[1]) === master)?.[0];
    return rows.filter((fields) => id !== undefined && fields[3] === id).flatMap((fields) => byAddress(fields[1]) ?? []);
  };
  const replicaOf = async (master: RedisServer) => {
    const [node] = await replicasOf(master);
    if (!node) throw new Error(`no replica of the node on port ${master.port}`);
    return node;
  };

  const waitForFailover = async (victim: RedisServer, slot: number) => {
    const survivors = nodes.filter((node) => node !== victim);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const serving = await masterOf(slot, victim).catch(() => undefined);
      const states = await Promise.all(
        survivors.map(async (node) => /cluster_state:(\w+)/.exec(await cli(node, 'CLUSTER', 'INFO').catch(() => ''))?.[1]),
      );
      // A node that does not answer at all is a dead one (an earlier victim): only the living must say ok.
      if (serving && serving !== victim && states.every((seen) => seen === 'ok' || seen === undefined) && states.includes('ok')) return serving;
      if (Date.now() > deadline) throw new Error(`no replica took over slot ${slot} within 30 s (states ${states.join(', ')})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const replicasCaughtUp = async () => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const infos = await Promise.all(nodes.map((node) => cli(node, 'INFO', 'replication').catch(() => '')));
      const behind = infos.filter((info) => {
        if (!info.includes('role:master')) return false;
        const offset = /master_repl_offset:(\d+)/.exec(info)?.[1];
        return [...info.matchAll(/slave\d+:.*offset=(\d+)/g)].some((match) => match[1] !== offset);
      });
      if (behind.length === 0) return;
      if (Date.now() > deadline) throw new Error(`${behind.length} masters' replicas still behind after 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  /** Every replica has finished its first sync, so a failover has the data to promote. */
  const replicasInSync = async () => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const infos = await Promise.all(nodes.map((node) => cli(node, 'INFO', 'replication').catch(() => '')));
      const syncing = infos.filter((info) => info.includes('role:slave') && !info.includes('master_link_status:up'));
      const replicaCount = infos.filter((info) => info.includes('role:slave')).length;
      if (replicaCount === MASTERS * replicas && syncing.length === 0) return;
      if (Date.now() > deadline) throw new Error(`replicas not in sync after 20 s (${replicaCount} replicas, ${syncing.length} syncing)`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  try {
    await run(
      'redis-cli',
      ['--cluster', 'create', ...nodes.map((node) => `127.0.0.1:${node.port}`), '--cluster-replicas', String(replicas), '--cluster-yes'],
      { env },
    );
    await waitForState('ok');
    if (replicas > 0) await replicasInSync();
  } catch (err) {
    await stop();
    throw err;
  }
  return { nodes, url: nodes[0]!.url, waitForState, flagsOf, masterOf: (slot) => masterOf(slot), replicaOf, replicasOf, waitForFailover, replicasCaughtUp, cli, stop };
}
