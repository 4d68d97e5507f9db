-- Creates a session and enters it in its user's index in one step, so no session can exist that list or
-- deleteAll would not find.
-- KEYS[1] the session key
-- KEYS[2] the user's session index (sorted set: session id scored by expiry, epoch ms)
-- ARGV[1] session id
-- ARGV[2] the session as JSON
-- ARGV[3] session TTL (ms)
-- ARGV[4] how long the index keeps an expired session's id (ms), so deleteAll can still clear what it left behind
-- Returns {1, how many expired ids it dropped from the index}, or {0, 0} when the id is taken.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ttl = tonumber(ARGV[3])
local keep = tonumber(ARGV[4])

if not redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl, 'NX') then
  return {0, 0}
end
local pruned = redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - keep)
redis.call('ZADD', KEYS[2], now + ttl, ARGV[1])
-- The index outlives its longest-lived entry; it never needs to shrink its TTL.
if redis.call('PTTL', KEYS[2]) < ttl + keep then
  redis.call('PEXPIRE', KEYS[2], ttl + keep)
end
return {1, pruned}
