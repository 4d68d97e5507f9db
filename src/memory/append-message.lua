-- Appends one message to a session's short-term window and evicts the oldest non-system messages while the window
-- is over its token budget. One script, so concurrent appends each land exactly once and nothing is read back and
-- rewritten; every command is O(1) per message, so the cost does not grow with the window.
-- KEYS[1] the session key (it must exist: no window for a missing or expired session)
-- KEYS[2] system messages (list), KEYS[3] conversation (list), KEYS[4] window state (hash: seq, system_tokens,
--         conversation_tokens)
-- ARGV[1] message id, ARGV[2] role, ARGV[3] content, ARGV[4] tokens, ARGV[5] created_at (ISO-8601)
-- ARGV[6] token budget, ARGV[7] window TTL (ms)
-- Returns {0} when the session is missing; {-1, system tokens} when the message cannot fit even with every
-- non-system message evicted (nothing changed); otherwise {1, seq, tokens used, {evicted ids}}.
local sessionTtl = redis.call('PTTL', KEYS[1])
if sessionTtl == -2 then
  return {0}
end
local tokens = tonumber(ARGV[4])
local budget = tonumber(ARGV[6])
local state = redis.call('HMGET', KEYS[4], 'system_tokens', 'conversation_tokens')
local systemTokens = tonumber(state[1]) or 0
local conversationTokens = tonumber(state[2]) or 0
if systemTokens + tokens > budget then
  return {-1, systemTokens}
end

local seq = redis.call('HINCRBY', KEYS[4], 'seq', 1)
local message = cjson.encode({
  seq = seq, id = ARGV[1], role = ARGV[2], content = ARGV[3], tokens = tokens, created_at = ARGV[5],
})
if ARGV[2] == 'system' then
  redis.call('RPUSH', KEYS[2], message)
  systemTokens = systemTokens + tokens
else
  redis.call('RPUSH', KEYS[3], message)
  conversationTokens = conversationTokens + tokens
end

local evicted = {}
while systemTokens + conversationTokens > budget do
  local oldest = redis.call('LPOP', KEYS[3])
  if not oldest then
    break
  end
  local gone = cjson.decode(oldest)
  conversationTokens = conversationTokens - gone.tokens
  evicted[#evicted + 1] = gone.id
end
redis.call('HSET', KEYS[4], 'system_tokens', systemTokens, 'conversation_tokens', conversationTokens)

touchWindow(sessionTtl, tonumber(ARGV[7]))
return {1, seq, systemTokens + conversationTokens, evicted}
