-- Saves the pending writes of one task against a checkpoint, and restarts the thread's TTL.
-- A regular write keeps the first value stored under its (task, idx): a task retried after a crash must not
-- replace what the first attempt recorded. The special channels (error, interrupt, resume, scheduled) have a
-- negative idx and do replace, as the latest one is what counts.
-- KEYS: the thread's five keys (see the prelude)
-- ARGV[1] thread TTL (ms), ARGV[2..] field, value, replace ('1' or '0') triples
-- Returns how many writes were stored.
local stored = 0
for i = 2, #ARGV, 3 do
  local set
  if ARGV[i + 2] == '1' then
    redis.call('HSET', KEYS[4], ARGV[i], ARGV[i + 1])
    set = 1
  else
    set = redis.call('HSETNX', KEYS[4], ARGV[i], ARGV[i + 1])
  end
  if set == 1 then
    redis.call('ZADD', KEYS[5], 0, ARGV[i])
    stored = stored + 1
  end
end
expireThread(tonumber(ARGV[1]))
return stored
