-- For src/idempotency/once.test.ts: a script that is not idempotent by itself.
-- KEYS[1] a counter; ARGV[1] what to add. Returns the new total.
return redis.call('INCRBY', KEYS[1], ARGV[1])
