-- Writes every value with the same TTL in one step: the batch lands whole or not at all, and no key is ever left
-- without its expiry. One script instead of MULTI/EXEC: Redis answers once, not once per queued SET.
-- KEYS    the keys to write
-- ARGV    one value per key, then the TTL in seconds
local ttl = ARGV[#ARGV]
for i, key in ipairs(KEYS) do
  redis.call('SET', key, ARGV[i], 'EX', ttl)
end
return #KEYS
