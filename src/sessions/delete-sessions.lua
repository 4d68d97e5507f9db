-- Deletes sessions with everything they own (window, checkpoints) and takes them out of the user's index, all in
-- one step: no reader ever sees a session without its window or a window without its session.
-- KEYS[1] the user's session index
-- KEYS[2..] seven keys per session, in the order of ARGV: session, system messages, conversation, window state,
--           checkpoints, checkpoint snapshots, eviction buffer
-- ARGV[i] the id of the i-th session
-- Returns how many of the sessions were still live.
local deleted = 0
for i, id in ipairs(ARGV) do
  local first = 2 + (i - 1) * 7
  deleted = deleted + redis.call('UNLINK', KEYS[first])
  redis.call('UNLINK', KEYS[first + 1], KEYS[first + 2], KEYS[first + 3], KEYS[first + 4], KEYS[first + 5], KEYS[first + 6])
  redis.call('ZREM', KEYS[1], id)
end
return deleted
