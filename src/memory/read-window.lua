-- Reads a session's short-term window and restarts its TTL (a read is a use).
-- KEYS[1] the session key, KEYS[2] system messages, KEYS[3] conversation, KEYS[4] window state
-- ARGV[1] window TTL (ms)
-- Returns nil when the session is missing, else {tokens used, {system messages}, {conversation messages}}.
local sessionTtl = redis.call('PTTL', KEYS[1])
if sessionTtl == -2 then
  return nil
end
local state = redis.call('HMGET', KEYS[4], 'system_tokens', 'conversation_tokens')
local used = (tonumber(state[1]) or 0) + (tonumber(state[2]) or 0)
local system = redis.call('LRANGE', KEYS[2], 0, -1)
local conversation = redis.call('LRANGE', KEYS[3], 0, -1)
touchWindow(sessionTtl, tonumber(ARGV[1]))
return {used, system, conversation}
