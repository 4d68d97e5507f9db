import type { Command } from 'commander';
import { StoreError } from '../errors.js';
import { infoNumber, parseInfo } from '../observability/redis-info.js';
import { EXIT, openStore, type CliIo } from './context.js';
import { formatBytes, table } from './format.js';
import { keyCount, namespaceOf, progress, SCAN_COUNT } from './scan.js';
import type { Store } from '../store/port.js';

/** Keys a status walk looks at before it stops and extrapolates. */
const SAMPLE_KEYS = 50_000;

export interface NamespaceCount {
  /** A Remembr namespace, or `(not remembr)` for keys outside `remembr:`. */
  namespace: string;
  keys: number;
}

export interface NodeStatus {
  node: string;
  redisVersion?: string;
  usedMemoryBytes?: number;
  /** 0 when Redis has no limit. */
  maxMemoryBytes?: number;
  connectedClients?: number;
  opsPerSecond?: number;
}

export interface StatusReport {
  store: string;
  health: 'healthy' | 'unhealthy' | 'error';
  /** Why the store is not healthy, in the store's words (credentials never included). */
  problem?: string;
  /** Remembr's own bound on its connections to Redis. */
  maxConnections: number;
  nodes: NodeStatus[];
  /** Keys per namespace, counted by SCAN; estimated from the first SAMPLE_KEYS when the store holds more. */
  namespaces: NamespaceCount[];
  /** True when `namespaces` are estimates from a sample. */
  sampled: boolean;
  totalKeys?: number;
}

/** Keys per namespace: exact on a store with up to SAMPLE_KEYS keys, scaled from that many SCANned otherwise. */
async function countNamespaces(store: Store, io: CliIo): Promise<{ namespaces: NamespaceCount[]; sampled: boolean; totalKeys?: number }> {
  const totalKeys = await keyCount(store);
  const counts = new Map<string, number>();
  let scanned = 0;
  for await (const batch of store.scan('*', SCAN_COUNT)) {
    for (const key of batch) {
      const namespace = namespaceOf(key) ?? '(not remembr)';
      counts.set(namespace, (counts.get(namespace) ?? 0) + 1);
    }
    scanned += batch.length;
    progress(io.isTTY, io.err, `counting keys: ${scanned}`);
    if (scanned >= SAMPLE_KEYS) break;
  }
  progress(io.isTTY, io.err, '');
  const sampled = totalKeys !== undefined && scanned < totalKeys;
  const scale = sampled ? totalKeys / scanned : 1;
  const namespaces = [...counts]
    .map(([namespace, keys]) => ({ namespace, keys: Math.round(keys * scale) }))
    .sort((a, b) => b.keys - a.keys || a.namespace.localeCompare(b.namespace));
  return { namespaces, sampled, totalKeys };
}

export async function status(io: CliIo): Promise<{ report: StatusReport; exitCode: number }> {
  const { store, config, where } = await openStore(io);
  try {
    let health: StatusReport['health'] = 'healthy';
    let problem: string | undefined;
    try {
      await store.ping();
    } catch (err) {
      health = err instanceof StoreError ? 'unhealthy' : 'error';
      problem = err instanceof Error ? err.message : String(err);
    }
    const nodes: NodeStatus[] = [];
    if (health === 'healthy' && store.serverInfo) {
      for (const { node, text } of await store.serverInfo()) {
        const fields = parseInfo(text);
        nodes.push({
          node,
          redisVersion: fields.get('redis_version'),
          usedMemoryBytes: infoNumber(fields, 'used_memory'),
          maxMemoryBytes: infoNumber(fields, 'maxmemory'),
          connectedClients: infoNumber(fields, 'connected_clients'),
          opsPerSecond: infoNumber(fields, 'instantaneous_ops_per_sec'),
        });
      }
    }
    const keys = health === 'healthy' ? await countNamespaces(store, io) : { namespaces: [], sampled: false };
    const report: StatusReport = {
      store: where,
      health,
      ...(problem ? { problem } : {}),
      maxConnections: config.redisMaxConnections,
      nodes,
      ...keys,
    };
    return { report, exitCode: health === 'healthy' ? EXIT.ok : EXIT.unhealthy };
  } finally {
    await store.close();
  }
}

export function renderStatus(report: StatusReport): string {
  const lines = [`store   ${report.store}`, `health  ${report.health}${report.problem ? ` (${report.problem})` : ''}`];
  lines.push(`connections a Remembr process may open: ${report.maxConnections} (REDIS_MAX_CONNECTIONS)`);
  if (report.nodes.length > 0) {
    lines.push(
      '',
      table(
        ['node', 'version', 'memory', 'maxmemory', 'clients', 'ops/s'],
        report.nodes.map((n) => [
          n.node,
          n.redisVersion ?? '?',
          n.usedMemoryBytes === undefined ? '?' : formatBytes(n.usedMemoryBytes),
          !n.maxMemoryBytes ? 'no limit' : `${formatBytes(n.maxMemoryBytes)} (${((100 * (n.usedMemoryBytes ?? 0)) / n.maxMemoryBytes).toFixed(1)}% used)`,
          String(n.connectedClients ?? '?'),
          String(n.opsPerSecond ?? '?'),
        ]),
      ),
    );
  }
  if (report.namespaces.length > 0) {
    const estimate = report.sampled ? '~' : '';
    lines.push(
      '',
      table(
        ['namespace', report.sampled ? `keys (estimated from ${SAMPLE_KEYS} of ${report.totalKeys})` : 'keys'],
        report.namespaces.map((n) => [n.namespace, `${estimate}${n.keys}`]),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

export function registerStatus(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('status')
    .description('store health, Redis version, memory against maxmemory, connections, ops/s')
    .option('--json', 'print one JSON object instead of a table')
    .action(async (options: { json?: boolean }) => {
      const { report, exitCode } = await status(io);
      io.out(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderStatus(report));
      done(exitCode);
    });
}
