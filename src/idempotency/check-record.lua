-- Put in front of a write script by once() (src/idempotency/once.ts): the check half of "at most once per key".
-- The caller appended one key and two arguments to the script's own, which are taken off here so that the script
-- below sees exactly the KEYS and ARGV it was written for:
-- KEYS[#KEYS]  the idempotency record (a hash: fingerprint, answer), under the user's hash tag
-- ARGV[#ARGV]  how long the record is kept, in milliseconds
-- ARGV[#ARGV - 1]  the fingerprint of the request (a hash of the operation and its input)
-- Returns {0} when the key was used for another request, {2, args, reply} with the first execution's arguments and
-- reply when it was used for this one; otherwise the script runs and record-answer.lua returns {1, args, reply}.
local idempotency_record = table.remove(KEYS)
local idempotency_ttl_ms = table.remove(ARGV)
local idempotency_fingerprint = table.remove(ARGV)
local recorded = redis.call('HMGET', idempotency_record, 'fingerprint', 'answer')
if recorded[1] then
  if recorded[1] ~= idempotency_fingerprint then return {0} end
  local answer = cmsgpack.unpack(recorded[2])
  return {2, answer[1], answer[2]}
end
