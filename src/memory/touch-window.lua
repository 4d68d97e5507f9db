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
