-- Reads a session's short-term window with its running summary (a read does not change the TTL: the window lives as
-- long as its session).
-- KEYS[1] the session key, KEYS[2] system messages, KEYS[3] conversation, KEYS[4] window state
-- ARGV[1] window TTL (ms) for a session without expiry
-- Returns nil when the session is missing, else {tokens used, {system messages}, {conversation messages}, summary
-- (false when none), summary version}.
local sessionTtl = redis.call('PTTL', KEYS[1])
if sessionTtl == -2 then
  return nil
end
local state = redis.call('HMGET', KEYS[4], 'system_tokens', 'conversation_tokens', 'summary_tokens', 'summary', 'summary_version')
local used = (tonumber(state[1]) or 0) + (tonumber(state[2]) or 0) + (tonumber(state[3]) or 0)
local system = redis.call('LRANGE', KEYS[2], 0, -1)
local conversation = redis.call('LRANGE', KEYS[3], 0, -1)
touchWindow(sessionTtl, tonumber(ARGV[1]))
return {used, system, conversation, state[4], tonumber(state[5]) or 0}
