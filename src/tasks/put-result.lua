-- Stores a task result, replacing any earlier one. Run through once() when the caller gives an idempotency key
-- (without one, a plain SET does the same).
-- KEYS[1]  the result
-- ARGV[1]  the result as JSON
-- ARGV[2]  seconds to keep it
-- Returns 1.
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
