-- Reads checkpoints of one thread with their channel values and pending writes, in one consistent step.
-- KEYS: the thread's five keys (see the prelude)
-- ARGV[1] TTL (ms) to restart the thread's keys to, or 0 to leave them as they are
-- ARGV[2] 'member': ARGV[3] is the one member to read
--         'range': ARGV[3] max and ARGV[4] min of a ZREVRANGEBYLEX, ARGV[5] at most how many
-- Returns a list of tuples, newest first (see readTuple); a member that is missing is left out.
local members
if ARGV[2] == 'member' then
  members = {ARGV[3]}
else
  members = redis.call('ZREVRANGEBYLEX', KEYS[2], ARGV[3], ARGV[4], 'LIMIT', 0, tonumber(ARGV[5]))
end
local found = {}
for _, member in ipairs(members) do
  local tuple = readTuple(member)
  if tuple then
    found[#found + 1] = tuple
  end
end
local ttl = tonumber(ARGV[1])
if ttl > 0 and #found > 0 then
  expireThread(ttl)
end
return found
