-- Empties a session's short-term window in one step; the session and its checkpoints stay.
-- KEYS[1] the session key, KEYS[2] system messages, KEYS[3] conversation, KEYS[4] window state
-- Returns 0 when the session is missing (nothing is touched), else 1.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
return 1
