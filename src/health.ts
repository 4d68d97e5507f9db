import { StoreError } from './errors.js';
import type { Store } from './store/port.js';

/** The guide's four Redis states: answering, unreachable, never set up, or failing in a way we did not expect. */
export type RedisStatus = 'healthy' | 'unhealthy' | 'not_initialized' | 'error';

export async function checkStore(store: Store | undefined): Promise<RedisStatus> {
  if (store === undefined) return 'not_initialized';
  try {
    await store.ping();
    return 'healthy';
  } catch (err) {
    return err instanceof StoreError ? 'unhealthy' : 'error';
  }
}
