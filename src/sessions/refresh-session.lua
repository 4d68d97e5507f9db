-- Extends a live session to the full session TTL, moves its expiry in the user's index, and extends its
-- short-term window (a refresh is a use of the session). An expired session stays expired.
-- KEYS[1] the session key
-- KEYS[2] the user's session index
-- KEYS[3] system messages, KEYS[4] conversation, KEYS[5] window state
-- ARGV[1] session id
-- ARGV[2] session TTL (ms)
-- ARGV[3] how long the index keeps an expired session's id (ms)
-- ARGV[4] window TTL (ms)
-- Returns {session JSON, TTL ms}, or nil when the session is missing.
local ttl = tonumber(ARGV[2])
local keep = tonumber(ARGV[3])
if redis.call('PEXPIRE', KEYS[1], ttl) == 0 then
  return nil
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZADD', KEYS[2], now + ttl, ARGV[1])
if redis.call('PTTL', KEYS[2]) < ttl + keep then
  redis.call('PEXPIRE', KEYS[2], ttl + keep)
end
-- The window never outlives the session, and a refresh never shortens it.
local windowTtl = math.min(tonumber(ARGV[4]), ttl)
for i = 3, 5 do
  local left = redis.call('PTTL', KEYS[i])
  if left >= 0 and left < windowTtl then
    redis.call('PEXPIRE', KEYS[i], windowTtl)
  end
end
return {redis.call('GET', KEYS[1]), ttl}
