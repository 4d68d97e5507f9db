-- Writes every value with the same TTL in one step: the batch lands whole or not at all, and no key is ever left
-- without its expiry. RedisClusterStore.setMany runs it per slot; RedisStore sends one MULTI of an MSET and
-- expire-many.lua instead, which keeps the values out of Lua strings (see BENCHMARKS.md, "setMany").
-- KEYS    the keys to write
-- ARGV    one value per key, then the TTL in seconds
local ttl = ARGV[#ARGV]
for i, key in ipairs(KEYS) do
  redis.call('SET', key, ARGV[i], 'EX', ttl)
end
return #KEYS
