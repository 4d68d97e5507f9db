-- Appends a turn (one or more messages, in order) to a session's short-term window, all or nothing, and evicts the
-- oldest units while the window is over its token budget. One script, so concurrent turns each land whole and
-- exactly once, and the turn structure is checked against the window as it is at that moment.
--
-- The turn structure a model accepts: an assistant message with tool calls opens a unit that only tool messages
-- answering those calls may follow, each call answered once, until all are answered. A tool message that answers
-- no open call, or any other message while calls are open, is refused and nothing changes. Eviction takes whole
-- units from the oldest, never the unit the turn ends in, and never a system message; so a window never starts with
-- a tool result whose call is gone, and never keeps a call whose result was evicted.
--
-- KEYS[1] the session key (it must exist: no window for a missing or expired session)
-- KEYS[2] system messages (list), KEYS[3] conversation (list), KEYS[4] window state (hash: seq, system_tokens,
--         conversation_tokens, summary_tokens, and while a unit has unanswered calls: open_unit, open_calls (JSON
--         list of ids), open_tokens (the unit's tokens so far))
-- KEYS[5] the eviction buffer (list): evicted messages go there, for a summarizer to fold into the summary
-- ARGV[1] token budget, ARGV[2] window TTL (ms), ARGV[3] number of messages n, ARGV[4] most messages the buffer keeps
-- then for each message i (from 5 + 5 * (i - 1)): role, tokens, the message's JSON text from Node (starting
--   {"tokens":<n>,"id":"<id>",...), the ids of its tool calls as a JSON list (or ''), the call it answers (or '')
-- Returns {0} when the session is missing; {-1, system tokens, tokens of the turn's last unit} when that unit cannot
-- fit even with every other unit evicted; {-2, i, tool call id, open call ids as JSON} when message i answers no
-- open call; {-3, i, open
-- call ids as JSON} when message i is not a tool message but calls are open; nothing changed in all of these.
-- Otherwise {1, seq of the first message, tokens used, {evicted ids, oldest first}, messages the full buffer dropped}.
-- The running summary's tokens count against the budget like a system message's.
-- When the session expires: -2 when it is missing, -1 for a session without expiry, else the time in ms.
local sessionAt = redis.call('PEXPIRETIME', KEYS[1])
if sessionAt == -2 then
  return {0}
end
local budget = tonumber(ARGV[1])
local count = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[4], 'seq', 'system_tokens', 'conversation_tokens', 'open_unit', 'open_calls', 'open_tokens', 'summary_tokens')
local seq = tonumber(state[1]) or 0
local systemTokens = tonumber(state[2]) or 0
local conversationTokens = tonumber(state[3]) or 0
local openUnit = tonumber(state[4])
local openCalls = state[5] and cjson.decode(state[5]) or {}
local openTokens = tonumber(state[6]) or 0
local summaryTokens = tonumber(state[7]) or 0

-- First every check, on local copies: a refused turn must change nothing.
local plan = {}
local lastUnit, lastUnitTokens = nil, 0
local addedSystem = 0
for i = 1, count do
  local base = 5 + 5 * (i - 1)
  local role, tokens, calls, answers = ARGV[base], tonumber(ARGV[base + 1]), ARGV[base + 3], ARGV[base + 4]
  local unit = seq + i
  if role == 'tool' then
    local found = nil
    for k, id in ipairs(openCalls) do
      if id == answers then
        found = k
      end
    end
    if not found then
      return {-2, i, answers, cjson.encode(openCalls)}
    end
    table.remove(openCalls, found)
    unit = openUnit
    openTokens = openTokens + tokens
    lastUnit, lastUnitTokens = unit, openTokens
  else
    if #openCalls > 0 then
      return {-3, i, cjson.encode(openCalls)}
    end
    if role == 'system' then
      addedSystem = addedSystem + tokens
    else
      lastUnit, lastUnitTokens = unit, tokens
      if calls ~= '' then
        openUnit, openCalls, openTokens = unit, cjson.decode(calls), tokens
      end
    end
  end
  plan[i] = unit
end
if systemTokens + addedSystem + summaryTokens + lastUnitTokens > budget then
  return {-1, systemTokens + addedSystem + summaryTokens, lastUnitTokens}
end

-- One RPUSH per list for the whole turn.
local toSystem, toConversation = {}, {}
for i = 1, count do
  local base = 5 + 5 * (i - 1)
  local element = '{"seq":' .. (seq + i) .. ',"unit":' .. plan[i] .. ',' .. string.sub(ARGV[base + 2], 2)
  if ARGV[base] == 'system' then
    toSystem[#toSystem + 1] = element
  else
    toConversation[#toConversation + 1] = element
    conversationTokens = conversationTokens + tonumber(ARGV[base + 1])
  end
end
-- A list that RPUSH made (its length is what was pushed) has no expiry yet.
local created = {}
if #toSystem > 0 then
  created[2] = redis.call('RPUSH', KEYS[2], unpack(toSystem)) == #toSystem
end
if #toConversation > 0 then
  created[3] = redis.call('RPUSH', KEYS[3], unpack(toConversation)) == #toConversation
end
systemTokens = systemTokens + addedSystem

-- Eviction moves the oldest message to the buffer with one LMOVE and only then reads its header: every element a
-- script reads or writes costs about as much as a small command, so peeking first (LINDEX, then LPOP and RPUSH)
-- was most of an append's time in Redis. Whole units leave, so the walk stops only at a unit's boundary: once the
-- window fits, at the turn's last unit, or at the end of the list. A message that answers no call and makes none is
-- a unit by itself, so after it the boundary is known without reading on; otherwise the next message is moved too,
-- and moved back when it starts a unit that stays. (A message that merely mentions "tool_calls", as a metadata key,
-- only costs that read.)
local evicted, evicting, alone = {}, nil, true
while true do
  local fits = systemTokens + summaryTokens + conversationTokens <= budget
  if fits and alone then
    break
  end
  local element = redis.call('LMOVE', KEYS[3], KEYS[5], 'LEFT', 'RIGHT')
  if not element then
    break
  end
  local seq, unit, tokens, id = readHeader(element)
  if unit ~= evicting and (fits or unit == lastUnit) then
    redis.call('LMOVE', KEYS[5], KEYS[3], 'RIGHT', 'LEFT')
    -- When that message was the last one left, Redis deleted the emptied list and moving it back made a new one,
    -- without expiry: it must get the session's like a list RPUSH made.
    created[3] = true
    break
  end
  evicting = unit
  evicted[#evicted + 1] = id
  conversationTokens = conversationTokens - tokens
  alone = seq == unit and not string.find(element, '"tool_calls":', 1, true)
end

-- Bounded: past its cap the oldest unsummarized messages are dropped, and the caller is told how many.
local dropped = 0
if #evicted > 0 then
  local buffered = redis.call('LLEN', KEYS[5])
  -- Holding only what this append evicted, the buffer is new (a list is gone once empty).
  created[5] = buffered == #evicted
  dropped = math.max(0, buffered - tonumber(ARGV[4]))
  if dropped > 0 then
    redis.call('LTRIM', KEYS[5], dropped, -1)
  end
end

if #openCalls > 0 then
  redis.call('HSET', KEYS[4], 'seq', seq + count, 'system_tokens', systemTokens, 'conversation_tokens', conversationTokens,
    'open_unit', openUnit, 'open_calls', cjson.encode(openCalls), 'open_tokens', openTokens)
else
  redis.call('HSET', KEYS[4], 'seq', seq + count, 'system_tokens', systemTokens, 'conversation_tokens', conversationTokens)
  -- Only when a unit was open before: HDEL of fields that are not there is a command for nothing.
  if state[4] or state[5] or state[6] then
    redis.call('HDEL', KEYS[4], 'open_unit', 'open_calls', 'open_tokens')
  end
end

-- The window lives exactly as long as its session (window-prelude.lua). Every script that writes a window key, and
-- a session refresh, sets all of them to the session's expiry, which nothing else moves; so when the state already
-- expires with the session, the keys lacking that expiry are the ones this append made: the lists RPUSH created
-- and the buffer when eviction started it. Setting those alone saves an append its four PEXPIREs. A session without
-- expiry slides its window: every key, every time.
if sessionAt == -1 then
  touchWindow(-1, tonumber(ARGV[2]), 5)
elseif redis.call('PEXPIRETIME', KEYS[4]) ~= sessionAt then
  for i = 2, 5 do
    redis.call('PEXPIREAT', KEYS[i], sessionAt)
  end
else
  for i = 2, 5 do
    if created[i] then
      redis.call('PEXPIREAT', KEYS[i], sessionAt)
    end
  end
end
return {1, seq + 1, systemTokens + summaryTokens + conversationTokens, evicted, dropped}
