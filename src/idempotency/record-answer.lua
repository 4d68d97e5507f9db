-- Put after a write script by once(): the record half. The script ran inside `operation` (see once.ts), so its
-- writes and this record land in the same atomic step: a retry either finds both or neither.
-- msgpack keeps integers and strings exactly as the script returned them, so a replay converts to the same reply.
local idempotency_reply = operation()
redis.call('HSET', idempotency_record, 'fingerprint', idempotency_fingerprint, 'answer', cmsgpack.pack({ARGV, idempotency_reply}))
redis.call('PEXPIRE', idempotency_record, idempotency_ttl_ms)
return {1, ARGV, idempotency_reply}
