-- Gives every key the same TTL. RedisStore.setMany sends it in one MULTI after the MSET of the values, so the
-- batch lands whole with its expiries (no reader ever sees a key of it without one), while the values travel once,
-- as MSET's arguments: passed through Lua, a thousand 1 KB values were copied into Lua strings and back, most of
-- Redis's time for the batch (see BENCHMARKS.md, "setMany").
-- KEYS    the keys the MSET just wrote
-- ARGV[1] the TTL in seconds
local ttl = ARGV[1]
for _, key in ipairs(KEYS) do
  redis.call('EXPIRE', key, ttl)
end
return #KEYS
