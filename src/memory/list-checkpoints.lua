-- Lists a session's live checkpoints, dropping expired ones.
-- KEYS[1] the session key, KEYS[2] checkpoints, KEYS[3] snapshots
-- Returns nil when the session is missing, else {id, checkpoint JSON, id, checkpoint JSON, ...}.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return nil
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local live = {}
local entries = redis.call('HGETALL', KEYS[2])
for i = 1, #entries, 2 do
  if cjson.decode(entries[i + 1]).expires_at <= now then
    redis.call('HDEL', KEYS[2], entries[i])
    redis.call('HDEL', KEYS[3], entries[i])
  else
    live[#live + 1] = entries[i]
    live[#live + 1] = entries[i + 1]
  end
end
return live
