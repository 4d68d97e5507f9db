import { KEY_PREFIX } from '../keys.js';
import type { Store } from '../store/port.js';

/** Keys asked for per SCAN step: large enough to be quick, small enough that Redis never blocks on one. */
export const SCAN_COUNT = 1000;

/** The Remembr namespace of a key (`remembr:<namespace>:…`), or undefined for a key that is not Remembr's. */
export function namespaceOf(key: string): string | undefined {
  if (!key.startsWith(`${KEY_PREFIX}:`)) return undefined;
  const start = KEY_PREFIX.length + 1;
  const end = key.indexOf(':', start);
  return end < 0 ? undefined : key.slice(start, end);
}

/**
 * TTLs of a batch of keys: one TTL command per key, all sent at once so the client pipelines them (one round
 * trip per batch, and on a cluster each goes to its key's node).
 */
export function ttlsOf(store: Store, keys: string[]): Promise<number[]> {
  return Promise.all(keys.map((key) => store.ttl(key)));
}

/** Keys in the store, from INFO's keyspace (every master of a cluster). */
export async function keyCount(store: Store): Promise<number | undefined> {
  if (!store.serverInfo) return undefined;
  let total = 0;
  for (const { text } of await store.serverInfo('keyspace')) {
    for (const match of text.matchAll(/^db\d+:keys=(\d+)/gm)) total += Number(match[1]);
  }
  return total;
}

/** Writes `text` over the current terminal line (progress), only when stderr is a terminal. */
export function progress(isTTY: boolean, err: (text: string) => void, text: string): void {
  if (isTTY) err(`\r\u001b[2K${text}`);
}
