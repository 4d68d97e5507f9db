-- One check of a fixed-window limiter: count this request and start the window when it is the first.
-- KEYS[1]  the identity's counter for its current window
-- ARGV[1]  limit: how much the window allows
-- ARGV[2]  window length in milliseconds
-- ARGV[3]  cost of this check (a whole number from 1 to limit)
-- Returns {count, ttl_ms}: the counter including this check, and the milliseconds until the window ends.
local count = redis.call('INCRBY', KEYS[1], ARGV[3])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  -- The first check of a window, or a counter that lost its expiry somehow: either way it must not live forever.
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
local cost = tonumber(ARGV[3])
if count > tonumber(ARGV[1]) and count - cost < tonumber(ARGV[1]) then
  -- Refused while some room was left: give it back so a cheaper check can still use it.
  redis.call('DECRBY', KEYS[1], cost)
end
return {count, ttl}
