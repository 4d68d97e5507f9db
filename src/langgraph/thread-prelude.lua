-- Shared by the checkpoint scripts (put in front of each by defineScript).
-- KEYS[1] checkpoints (hash), KEYS[2] index (sorted set), KEYS[3] blobs (hash), KEYS[4] writes (hash),
-- KEYS[5] write index (sorted set): the five keys of one thread.

-- Every key of a thread gets the same TTL at the same moment, so none of them can outlive the others.
-- PEXPIRE on a key that does not exist yet does nothing.
local function expireThread(ttl)
  for i = 1, 5 do
    redis.call('PEXPIRE', KEYS[i], ttl)
  end
end

-- HMGET in slices: unpack() of more than a few thousand values overflows Lua's stack.
local function hmgetAll(key, fields)
  local values = {}
  for start = 1, #fields, 1000 do
    local slice = redis.call('HMGET', key, unpack(fields, start, math.min(start + 999, #fields)))
    for _, value in ipairs(slice) do
      values[#values + 1] = value
    end
  end
  return values
end

-- One checkpoint as {member, record, {blob values}, {write values}}, or false when it is not there.
-- The record starts with the comma-separated blob fields it needs, up to the first newline.
local function readTuple(member)
  local stored = redis.call('HGET', KEYS[1], member)
  if not stored then
    return false
  end
  local newline = string.find(stored, '\n', 1, true)
  local refs = {}
  for field in string.gmatch(string.sub(stored, 1, newline - 1), '[^,]+') do
    refs[#refs + 1] = field
  end
  local fields = redis.call('ZRANGEBYLEX', KEYS[5], '[' .. member .. '|', '(' .. member .. '}')
  return {member, string.sub(stored, newline + 1), hmgetAll(KEYS[3], refs), hmgetAll(KEYS[4], fields)}
end
