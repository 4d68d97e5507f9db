-- Reads a session and its remaining TTL together, so a session that expires in between is never reported as
-- found with no time left.
-- KEYS[1] the session key
-- Returns {session JSON, remaining ms}, or nil when it is missing or expired.
local session = redis.call('GET', KEYS[1])
if not session then
  return nil
end
return {session, redis.call('PTTL', KEYS[1])}
