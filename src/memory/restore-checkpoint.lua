-- Replaces a session's window with a checkpoint, in one step: a reader sees the old window or the restored one,
-- never a mix, and an append that runs at the same time lands before or after the restore, not inside it.
-- KEYS[1] the session key, KEYS[2] system messages, KEYS[3] conversation, KEYS[4] window state
-- KEYS[5] checkpoints, KEYS[6] snapshots
-- ARGV[1] checkpoint id, ARGV[2] window TTL (ms)
-- Returns {0} when the session is missing, {-1} when the checkpoint is missing or expired, else {1, messages}.
local sessionTtl = redis.call('PTTL', KEYS[1])
if sessionTtl == -2 then
  return {0}
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local info = redis.call('HGET', KEYS[5], ARGV[1])
local saved = redis.call('HGET', KEYS[6], ARGV[1])
if not info or not saved or cjson.decode(info).expires_at <= now then
  return {-1}
end
saved = cjson.decode(saved)

redis.call('UNLINK', KEYS[2], KEYS[3])
for _, message in ipairs(saved.system) do
  redis.call('RPUSH', KEYS[2], message)
end
for _, message in ipairs(saved.conversation) do
  redis.call('RPUSH', KEYS[3], message)
end
-- Sequence numbers only grow, so messages appended after the restore still sort after the restored ones.
local seq = math.max(tonumber(redis.call('HGET', KEYS[4], 'seq')) or 0, saved.seq)
redis.call('HSET', KEYS[4], 'seq', seq, 'system_tokens', saved.system_tokens, 'conversation_tokens', saved.conversation_tokens)
if saved.open_unit then
  redis.call('HSET', KEYS[4], 'open_unit', saved.open_unit, 'open_calls', saved.open_calls, 'open_tokens', saved.open_tokens)
else
  redis.call('HDEL', KEYS[4], 'open_unit', 'open_calls', 'open_tokens')
end

touchWindow(sessionTtl, tonumber(ARGV[2]))
return {1, #saved.system + #saved.conversation}
