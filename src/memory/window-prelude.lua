-- Shared by the window scripts (put in front of each by defineScript).
-- The window — KEYS[2] system messages, KEYS[3] conversation, KEYS[4] window state, and KEYS[buffer] its eviction
-- buffer when the script has it — lives exactly as long as its session, whose PTTL is `sessionTtl`: a window that
-- vanished while its session still answered was a bug. `ttl` is for a session without expiry (-1).
local function touchWindow(sessionTtl, ttl, buffer)
  if sessionTtl >= 0 then
    ttl = sessionTtl
  end
  for i = 2, 4 do
    redis.call('PEXPIRE', KEYS[i], ttl)
  end
  if buffer then
    redis.call('PEXPIRE', KEYS[buffer], ttl)
  end
end

-- A stored message is the JSON text Node built for it, with the script's `seq` and `unit` put in front, so the
-- caller's content is never decoded and re-encoded here (cjson would rewrite numbers and escapes). Its header is
-- read by pattern: {"seq":<n>,"unit":<n>,"tokens":<n>,"id":"<id>",...
-- `unit` is what eviction takes away together: an assistant message with tool calls and the tool messages that
-- answer it share the assistant message's seq; every other message is a unit of its own.
local function readHeader(element)
  local seq, unit, tokens, id = string.match(element, '^{"seq":(%d+),"unit":(%d+),"tokens":(%d+),"id":"([^"]+)"')
  if seq then
    return tonumber(seq), tonumber(unit), tonumber(tokens), id
  end
  -- Written before units existed: a unit of its own.
  local old = cjson.decode(element)
  return old.seq, old.seq, old.tokens, old.id
end

-- The message with this id in a list of stored messages: its position, the element, its unit and its tokens, or
-- nil when it is not there (ids are unique within a window).
local function findMessage(list, id)
  for i, element in ipairs(list) do
    local _, unit, tokens, messageId = readHeader(element)
    if messageId == id then
      return i, element, unit, tokens
    end
  end
  return nil
end
