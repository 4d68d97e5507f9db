-- Reads a session's short-term window with its running summary (a read does not change the TTL: the window lives as
-- long as its session).
-- KEYS[1] the session key, KEYS[2] system messages, KEYS[3] conversation, KEYS[4] window state
-- ARGV[1] window TTL (ms) for a session without expiry
-- Returns nil when the session is missing, else {tokens used, {system messages}, {conversation messages}, summary
-- (false when none), summary version}.
-- When the session expires: -2 when it is missing, -1 for a session without expiry, else the time in ms.
local sessionAt = redis.call('PEXPIRETIME', KEYS[1])
if sessionAt == -2 then
  return nil
end
local state = redis.call('HMGET', KEYS[4], 'system_tokens', 'conversation_tokens', 'summary_tokens', 'summary', 'summary_version')
local used = (tonumber(state[1]) or 0) + (tonumber(state[2]) or 0) + (tonumber(state[3]) or 0)
local system = redis.call('LRANGE', KEYS[2], 0, -1)
local conversation = redis.call('LRANGE', KEYS[3], 0, -1)
-- Every write of the window and every session refresh leaves all its keys expiring with the session (see
-- append-messages.lua), so a read only puts them back when the conversation's expiry is not the session's (a key
-- whose expiry was moved by hand, a window without messages); a session without expiry slides its window.
if sessionAt == -1 then
  touchWindow(-1, tonumber(ARGV[1]))
elseif redis.call('PEXPIRETIME', KEYS[3]) ~= sessionAt then
  for i = 2, 4 do
    redis.call('PEXPIREAT', KEYS[i], sessionAt)
  end
end
return {used, system, conversation, state[4], tonumber(state[5]) or 0}
