-- Reads what a summarizer needs: the running summary, its version, and the eviction buffer.
-- KEYS[1] the session key, KEYS[2] window state, KEYS[3] the eviction buffer
-- Returns nil when the session is missing, else {summary (false when none), summary version, {buffered messages}}.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return nil
end
local state = redis.call('HMGET', KEYS[2], 'summary', 'summary_version')
return {state[1], tonumber(state[2]) or 0, redis.call('LRANGE', KEYS[3], 0, -1)}
