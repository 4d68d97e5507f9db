-- Shared by the window scripts (put in front of each by defineScript).
-- The window — KEYS[2] system messages, KEYS[3] conversation, KEYS[4] window state — lives `ttl` ms after its last
-- use, but never past its session, whose PTTL is `sessionTtl` (-1 when it has no expiry).
local function touchWindow(sessionTtl, ttl)
  if sessionTtl >= 0 and sessionTtl < ttl then
    ttl = sessionTtl
  end
  for i = 2, 4 do
    redis.call('PEXPIRE', KEYS[i], ttl)
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
