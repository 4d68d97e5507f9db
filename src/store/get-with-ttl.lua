-- Reads values with their remaining TTLs in one step, so a value is never paired with the TTL of a later write.
-- The client cache keeps what it reads no longer than the key lives (see client-cache.ts); sessions report the
-- seconds they have left.
-- KEYS    the keys to read
-- Returns {value, pttl} per key, flattened; a missing key is {'', -2} (a nil would end a Lua array).
local reply = {}
for i, key in ipairs(KEYS) do
  local value = redis.call('GET', key)
  if value then
    reply[2 * i - 1] = value
    reply[2 * i] = redis.call('PTTL', key)
  else
    reply[2 * i - 1] = ''
    reply[2 * i] = -2
  end
end
return reply
