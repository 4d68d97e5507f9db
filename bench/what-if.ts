import { createClient } from 'redis';
import { RedisStore, silentLogger } from '../src/index.js';

/**
 * Not shipped: RedisStore's own code with its pool (never connected) swapped for one multiplexed node-redis client
 * without node-redis's per-command timeout. It answers the design question the client-shape case raises: what the
 * features would do on that client. Labelled "what-if" wherever it appears.
 */
export async function multiplexedStore(url: string): Promise<RedisStore> {
  const client = createClient({ url, disableOfflineQueue: true, commandOptions: { timeout: 0 } });
  await client.connect();
  const store = new RedisStore({ url, maxConnections: 20, commandTimeoutMs: 1000, connectTimeoutMs: 1000, logger: silentLogger });
  Object.defineProperty(store, 'client', { value: client });
  return store;
}

export const WHAT_IF = '(what-if: one multiplexed client, not shipped)';
