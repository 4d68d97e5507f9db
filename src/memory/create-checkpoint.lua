-- Saves a copy of a session's window as a checkpoint, in one step so the copy is never half of one append.
-- Drops expired checkpoints and, beyond the cap, the oldest ones.
-- KEYS[1] the session key, KEYS[2] system messages, KEYS[3] conversation, KEYS[4] window state (its
--         checkpoint_seq orders checkpoints made within one millisecond)
-- KEYS[5] checkpoints (hash: id -> {created_at, message_count, expires_at, seq})
-- KEYS[6] snapshots (hash: id -> the saved window)
-- ARGV[1] checkpoint id, ARGV[2] created_at (ISO-8601), ARGV[3] checkpoint TTL (ms), ARGV[4] most checkpoints kept
-- ARGV[5] window TTL (ms)
-- Returns nil when the session is missing, else the number of messages saved.
local sessionTtl = redis.call('PTTL', KEYS[1])
if sessionTtl == -2 then
  return nil
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local keep = tonumber(ARGV[3])

-- Hash fields cannot expire on their own (before Redis 7.4), so each entry carries its expiry.
local kept = {}
local entries = redis.call('HGETALL', KEYS[5])
for i = 1, #entries, 2 do
  local info = cjson.decode(entries[i + 1])
  if info.expires_at <= now then
    redis.call('HDEL', KEYS[5], entries[i])
    redis.call('HDEL', KEYS[6], entries[i])
  else
    kept[#kept + 1] = {id = entries[i], expires_at = info.expires_at, seq = info.seq}
  end
end
table.sort(kept, function(a, b)
  if a.expires_at ~= b.expires_at then
    return a.expires_at < b.expires_at
  end
  return a.seq < b.seq
end)
for i = 1, #kept - tonumber(ARGV[4]) + 1 do
  redis.call('HDEL', KEYS[5], kept[i].id)
  redis.call('HDEL', KEYS[6], kept[i].id)
end

local system = redis.call('LRANGE', KEYS[2], 0, -1)
local conversation = redis.call('LRANGE', KEYS[3], 0, -1)
local state = redis.call('HMGET', KEYS[4], 'seq', 'system_tokens', 'conversation_tokens', 'open_unit', 'open_calls', 'open_tokens')
local count = #system + #conversation
local seq = redis.call('HINCRBY', KEYS[4], 'checkpoint_seq', 1)
redis.call('HSET', KEYS[5], ARGV[1], cjson.encode({
  created_at = ARGV[2], message_count = count, expires_at = now + keep, seq = seq,
}))
redis.call('HSET', KEYS[6], ARGV[1], cjson.encode({
  seq = tonumber(state[1]) or 0,
  system_tokens = tonumber(state[2]) or 0,
  conversation_tokens = tonumber(state[3]) or 0,
  -- A unit with unanswered tool calls is part of the window: restoring must reopen it (nil fields are left out).
  open_unit = tonumber(state[4]),
  open_calls = state[5] or nil,
  open_tokens = tonumber(state[6]),
  system = system,
  conversation = conversation,
}))
-- The newest checkpoint lives longest, so the hashes live as long as it does.
redis.call('PEXPIRE', KEYS[5], keep)
redis.call('PEXPIRE', KEYS[6], keep)

touchWindow(sessionTtl, tonumber(ARGV[5]))
return count
