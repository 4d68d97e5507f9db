-- Reads a GCRA limiter's state without consuming anything.
-- KEYS[1]  the identity's TAT (see gcra.lua)
-- ARGV[1]  emission interval in microseconds
-- ARGV[2]  capacity in microseconds
-- Returns {allowed 0|1, remaining, used_us, retry_after_us} for a check of cost 1 made now.
local now, tat = clockAndTat(KEYS[1])
local interval = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local used = tat - now
if used > 0 and redis.call('PTTL', KEYS[1]) == -1 then
  redis.call('PEXPIRE', KEYS[1], math.ceil(used / 1000))
end
local over = used + interval - capacity
if over > 0 then return {0, 0, used, over} end
return {1, math.floor((capacity - used) / interval), used, 0}
