import { describe, expect, it } from 'vitest';
import { ClientCache } from './client-cache.js';

/** The entry rules on their own, with the clock passed in; test/client-cache.test.ts runs them against Redis. */
describe('ClientCache', () => {
  it('keeps a reply only if no invalidation of its key arrived while it was in flight', () => {
    const cache = new ClientCache();
    const overtaken = cache.begin('k', 0);
    cache.invalidate('k');
    expect(cache.complete(overtaken, 'old', -1)).toBeUndefined();
    expect(cache.lookup('k', 1)).toBeUndefined();
    const later = cache.begin('k', 2);
    expect(cache.complete(later, 'new', -1)?.text).toBe('new');
    expect(cache.lookup('k', 3)?.text).toBe('new');
  });

  it('keeps no reply that was in flight when the whole cache was dropped', () => {
    const cache = new ClientCache();
    const fill = cache.begin('k', 0);
    cache.drop();
    expect(cache.complete(fill, 'v', -1)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("voids a read in flight when this process writes the key, and one that reads it twice keeps neither reply", () => {
    const cache = new ClientCache();
    const first = cache.begin('k', 0);
    const second = cache.begin('k', 0);
    cache.forget(['k']);
    expect(cache.complete(first, 'a', -1)).toBeUndefined();
    expect(cache.complete(second, 'a', -1)).toBeUndefined();
    // Nothing in flight any more: the next read is kept.
    expect(cache.complete(cache.begin('k', 1), 'b', -1)?.text).toBe('b');
  });

  it("serves an entry no longer than its key's TTL (counted from when the read was sent) nor maxAgeMs", () => {
    const cache = new ClientCache({ maxAgeMs: 1000 });
    cache.complete(cache.begin('ttl', 100), 'v', 50);
    expect(cache.lookup('ttl', 149)?.text).toBe('v');
    expect(cache.lookup('ttl', 150)).toBeUndefined();
    cache.complete(cache.begin('forever', 100), 'v', -1);
    expect(cache.lookup('forever', 1099)?.text).toBe('v');
    expect(cache.lookup('forever', 1100)).toBeUndefined();
  });

  it('stores nothing larger than maxBytes', () => {
    const cache = new ClientCache({ maxBytes: 1024 });
    expect(cache.complete(cache.begin('big', 0), 'x'.repeat(2000), -1)).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });
});
