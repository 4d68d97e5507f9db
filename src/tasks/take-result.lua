-- Claims a task result: reads and removes it in one step. Run through once() when the claimer gives an
-- idempotency key, so a claim whose answer was lost is received again by a retry with that key, and by nobody else.
-- KEYS[1]  the result
-- Returns the result as JSON, or nil when there is none.
return redis.call('GETDEL', KEYS[1])
