-- Reads a user's session index, first dropping ids whose session expired longer ago than the index keeps them.
-- KEYS[1] the user's session index
-- ARGV[1] how long the index keeps an expired session's id (ms)
-- ARGV[2] 'live' for sessions that have not expired, 'all' to include expired ones still remembered
-- ARGV[3] at most this many ids, lowest expiry first (-1: all)
-- Returns {now ms, {id, expiry ms, id, expiry ms, ...}, how many expired ids it dropped}.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local pruned = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
local min = '-inf'
if ARGV[2] == 'live' then
  min = '(' .. now
end
return {now, redis.call('ZRANGEBYSCORE', KEYS[1], min, '+inf', 'WITHSCORES', 'LIMIT', 0, ARGV[3]), pruned}
