-- Commits a running summary that folds in the eviction buffer up to and including one message, in one step and only
-- if nothing moved underneath: the summary must still be the version the summarizer read, and the message it
-- covers up to must still be in the buffer. Messages evicted while it ran stay in the buffer for the next summary,
-- so nothing is lost either way. If the new summary leaves the window over budget, the oldest units move to the
-- buffer, as an append would; a unit whose tool calls wait for results is never moved.
-- KEYS[1] the session key, KEYS[2] system messages, KEYS[3] conversation, KEYS[4] window state, KEYS[5] the buffer
-- ARGV[1] the summary, ARGV[2] its tokens, ARGV[3] id of the last buffered message it covers, ARGV[4] the summary
-- version it was made from, ARGV[5] token budget, ARGV[6] window TTL (ms) for a session without expiry
-- Returns {0} when the session is missing; {-1, current version} when the summary moved on; {-2} when the message is
-- not in the buffer; {-3, tokens the rest needs} when the summary does not fit; else {1, new version, tokens used,
-- {ids moved to the buffer}}.
local sessionTtl = redis.call('PTTL', KEYS[1])
if sessionTtl == -2 then
  return {0}
end
local state = redis.call('HMGET', KEYS[4], 'summary_version', 'system_tokens', 'conversation_tokens', 'open_unit')
local version = tonumber(state[1]) or 0
if version ~= tonumber(ARGV[4]) then
  return {-1, version}
end
local buffer = redis.call('LRANGE', KEYS[5], 0, -1)
local through = findMessage(buffer, ARGV[3])
if not through then
  return {-2}
end
local systemTokens = tonumber(state[2]) or 0
local conversationTokens = tonumber(state[3]) or 0
local openUnit = tonumber(state[4])
local summaryTokens = tonumber(ARGV[2])
local budget = tonumber(ARGV[5])

-- Which whole units must leave, found before anything is written.
local conversation = redis.call('LRANGE', KEYS[3], 0, -1)
local over = systemTokens + summaryTokens + conversationTokens - budget
local leaving = 0
while over > 0 do
  if leaving >= #conversation then
    return {-3, systemTokens + summaryTokens}
  end
  local _, unit = readHeader(conversation[leaving + 1])
  if unit == openUnit then
    return {-3, systemTokens + summaryTokens}
  end
  while leaving < #conversation and select(2, readHeader(conversation[leaving + 1])) == unit do
    leaving = leaving + 1
    local _, _, tokens = readHeader(conversation[leaving])
    over = over - tokens
    conversationTokens = conversationTokens - tokens
  end
end

redis.call('LTRIM', KEYS[5], through, -1)
local moved = {}
for i = 1, leaving do
  redis.call('RPUSH', KEYS[5], redis.call('LPOP', KEYS[3]))
  local _, _, _, id = readHeader(conversation[i])
  moved[i] = id
end
redis.call('HSET', KEYS[4], 'summary', ARGV[1], 'summary_tokens', summaryTokens, 'summary_version', version + 1,
  'conversation_tokens', conversationTokens)
touchWindow(sessionTtl, tonumber(ARGV[6]), 5)
return {1, version + 1, systemTokens + summaryTokens + conversationTokens, moved}
