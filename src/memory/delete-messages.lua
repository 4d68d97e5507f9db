-- Deletes one message from a session's window, or clears the window, keeping the session. A message that belongs to
-- a tool-calling unit takes its whole unit with it (the assistant message and every result), so what remains is
-- still a valid model input and no call is left waiting for a result that can no longer come.
-- KEYS[1] the session key, KEYS[2] system messages, KEYS[3] conversation, KEYS[4] window state, KEYS[5] the buffer
-- ARGV[1] the message id, or '' to clear the whole window (its summary and eviction buffer too)
-- ARGV[2] window TTL (ms) for a session without expiry
-- Returns {0} when the session is missing, {-1} when the message is not in the window, else {1, {deleted ids}}.
local sessionTtl = redis.call('PTTL', KEYS[1])
if sessionTtl == -2 then
  return {0}
end
local deleted = {}
if ARGV[1] == '' then
  for i = 2, 3 do
    for _, element in ipairs(redis.call('LRANGE', KEYS[i], 0, -1)) do
      local _, _, _, id = readHeader(element)
      deleted[#deleted + 1] = id
    end
  end
  redis.call('UNLINK', KEYS[2], KEYS[3], KEYS[5])
  -- seq stays: ids and order of later messages never collide with the cleared ones.
  redis.call('HDEL', KEYS[4], 'system_tokens', 'conversation_tokens', 'open_unit', 'open_calls', 'open_tokens', 'summary', 'summary_tokens',
    'summary_version')
  return {1, deleted}
end

local systemAt, systemMessage, _, systemTokens = findMessage(redis.call('LRANGE', KEYS[2], 0, -1), ARGV[1])
if systemAt then
  redis.call('LREM', KEYS[2], 1, systemMessage)
  redis.call('HINCRBY', KEYS[4], 'system_tokens', -systemTokens)
  touchWindow(sessionTtl, tonumber(ARGV[2]))
  return {1, {ARGV[1]}}
end
local conversation = redis.call('LRANGE', KEYS[3], 0, -1)
local _, _, target = findMessage(conversation, ARGV[1])
if not target then
  return {-1}
end
local freed = 0
for _, element in ipairs(conversation) do
  local _, unit, tokens, id = readHeader(element)
  if unit == target then
    redis.call('LREM', KEYS[3], 1, element)
    freed = freed + tokens
    deleted[#deleted + 1] = id
  end
end
redis.call('HINCRBY', KEYS[4], 'conversation_tokens', -freed)
if tonumber(redis.call('HGET', KEYS[4], 'open_unit')) == target then
  redis.call('HDEL', KEYS[4], 'open_unit', 'open_calls', 'open_tokens')
end
touchWindow(sessionTtl, tonumber(ARGV[2]))
return {1, deleted}
