-- Shared by gcra.lua and gcra-peek.lua (put in front of each by defineScript).
-- Returns the server's clock and the TAT of `key`, both in microseconds; a TAT in the past (or none) is now:
-- a bucket that refilled long ago is simply full.
local function clockAndTat(key)
  local clock = redis.call('TIME')
  local now = clock[1] * 1000000 + clock[2]
  local tat = tonumber(redis.call('GET', key)) or now
  if tat < now then tat = now end
  return now, tat
end
