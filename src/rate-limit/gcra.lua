-- One check of a GCRA limiter. The key holds the theoretical arrival time (TAT): the moment, in microseconds of
-- the server clock, at which the identity's bucket would be full again. Each check moves it on by cost * interval;
-- a check is allowed while the TAT stays within `capacity` of now.
-- KEYS[1]  the identity's TAT
-- ARGV[1]  emission interval in microseconds (window / limit, rounded down)
-- ARGV[2]  capacity in microseconds (limit * interval): how far ahead of now the TAT may run
-- ARGV[3]  cost of this check (a whole number from 1 to limit)
-- Returns {allowed 0|1, remaining, used_us, retry_after_us}: `used_us` is how far the TAT is ahead of now after
-- the check (the time until the bucket is full again), `retry_after_us` is 0 when allowed.
-- TIME before a write is safe: since Redis 5 a script replicates its effects (the SET with its value), not its source.
local now, tat = clockAndTat(KEYS[1])
local interval = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local next_tat = tat + tonumber(ARGV[3]) * interval
local used = next_tat - now
if used > capacity then
  -- Refused: nothing is consumed. A TAT that lost its expiry gets it back, else a silent identity keeps it forever.
  if tat > now and redis.call('PTTL', KEYS[1]) == -1 then
    redis.call('PEXPIRE', KEYS[1], math.ceil((tat - now) / 1000))
  end
  return {0, math.floor((capacity - (tat - now)) / interval), tat - now, used - capacity}
end
-- The key expires when the bucket is full again, which is exactly when a missing key means the same thing.
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', math.ceil(used / 1000))
return {1, math.floor((capacity - used) / interval), used, 0}
