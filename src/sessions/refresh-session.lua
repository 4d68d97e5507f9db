-- Extends a live session to the full session TTL, moves its expiry in the user's index, and extends its
-- short-term window (a refresh is a use of the session). An expired session stays expired.
-- KEYS[1] the session key
-- KEYS[2] the user's session index
-- KEYS[3] system messages, KEYS[4] conversation, KEYS[5] window state, KEYS[6] eviction buffer
-- ARGV[1] session id
-- ARGV[2] session TTL (ms)
-- ARGV[3] how long the index keeps an expired session's id (ms)
-- ARGV[4] unused (the window lives exactly as long as its session)
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
-- The window lives exactly as long as its session: a refreshed session keeps its whole window.
for i = 3, 6 do
  redis.call('PEXPIRE', KEYS[i], ttl)
end
return {redis.call('GET', KEYS[1]), ttl}
