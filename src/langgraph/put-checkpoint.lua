-- Saves one checkpoint with the channel values it brings and its index entry, and restarts the thread's TTL:
-- a timeout or crash can never leave a checkpoint without its values or its place in the index.
-- KEYS: the thread's five keys (see the prelude)
-- ARGV[1] thread TTL (ms), ARGV[2] index member, ARGV[3] stored record, ARGV[4..] blob field, blob value pairs
for i = 4, #ARGV, 2 do
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[2], 0, ARGV[2])
expireThread(tonumber(ARGV[1]))
return 1
