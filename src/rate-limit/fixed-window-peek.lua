-- Reads a fixed-window counter without counting anything.
-- KEYS[1]  the identity's counter for its current window
-- ARGV[1]  window length in milliseconds
-- Returns {count, ttl_ms}: count 0 and ttl -2 when no window is open.
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if ttl == -1 then
  -- A counter without expiry would block its identity for good: give it one window.
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
