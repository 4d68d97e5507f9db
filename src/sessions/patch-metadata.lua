-- Applies a JSON Merge Patch (RFC 7386) to a session's metadata in one step, so concurrent patches of different
-- members all land, and a merge that would grow the metadata past its limit changes nothing.
--
-- The JSON is never decoded into Lua tables and encoded again: cjson would write an empty array as {}, round
-- numbers to 14 digits and drop member order. Instead both texts are scanned, and the result is built from
-- their own pieces: every value that the patch does not change keeps its exact text, and a value the patch sets
-- is the patch's text. Both texts come from Node's JSON.stringify (the session when it was created or last
-- patched, the patch by the caller's library), so member names are written one way only and compare as text.
-- Whitespace between tokens is skipped all the same.
--
-- KEYS[1] the session key (a JSON object whose "metadata" member is an object)
-- ARGV[1] the patch: a JSON object
-- ARGV[2] the largest metadata allowed after the merge, in bytes of JSON
-- Returns {0} when the session is missing; {-1, bytes} when the merged metadata would be `bytes` long, over the
-- limit (nothing changed); else {1, the session JSON as stored now, its TTL in ms}.
local byte, find, sub = string.byte, string.find, string.sub
local QUOTE, BACKSLASH, OPEN, CLOSE = 34, 92, 123, 125

local function skipSpace(s, i)
  return find(s, '[^ \t\n\r]', i) or #s + 1
end

-- The index of the quote that closes the string opening at i.
local function stringEnd(s, i)
  local j = i + 1
  while true do
    local k = find(s, '["\\]', j)
    if not k then error('remembr: unterminated JSON string') end
    if byte(s, k) == QUOTE then return k end
    j = k + 2
  end
end

-- The index of the last character of the value that starts at i.
local function valueEnd(s, i)
  local c = byte(s, i)
  if c == QUOTE then return stringEnd(s, i) end
  if c == OPEN or c == 91 then
    local depth, j = 0, i
    while true do
      local k = find(s, '[%[%]{}"]', j)
      if not k then error('remembr: unterminated JSON value') end
      local b = byte(s, k)
      if b == QUOTE then
        k = stringEnd(s, k)
      elseif b == OPEN or b == 91 then
        depth = depth + 1
      else
        depth = depth - 1
        if depth == 0 then return k end
      end
      j = k + 1
    end
  end
  local _, e = find(s, '^[%w%.%+%-]+', i)
  if not e then error('remembr: unexpected character in JSON at ' .. i) end
  return e
end

-- The members of the object that opens at i, in order: {name text with its quotes, value start, value end}.
local function members(s, i)
  local list = {}
  local j = skipSpace(s, i + 1)
  if byte(s, j) == CLOSE then return list end
  while true do
    local nameEnd = stringEnd(s, j)
    local from = skipSpace(s, skipSpace(s, nameEnd + 1) + 1)
    local to = valueEnd(s, from)
    list[#list + 1] = {sub(s, j, nameEnd), from, to}
    j = skipSpace(s, to + 1)
    if byte(s, j) == CLOSE then return list end
    j = skipSpace(s, j + 1)
  end
end

-- RFC 7386 MergePatch(target, patch) for a patch that is an object (the text p, opening at pFrom). `target` is the
-- text of the target value, or nil when there is none; a target that is not an object is replaced by {} first.
local function merge(target, p, pFrom)
  local names, values, at = {}, {}, {}
  if target and byte(target, 1) == OPEN then
    for n, m in ipairs(members(target, 1)) do
      names[n] = m[1]
      values[n] = sub(target, m[2], m[3])
      at[m[1]] = n
    end
  end
  for _, m in ipairs(members(p, pFrom)) do
    local name, from, to = m[1], m[2], m[3]
    local n = at[name]
    local c = byte(p, from)
    local value
    if c == 110 and sub(p, from, to) == 'null' then
      value = false
    elseif c == OPEN then
      value = merge(n and values[n] or nil, p, from)
    else
      value = sub(p, from, to)
    end
    if n then
      values[n] = value
    elseif value then
      n = #names + 1
      names[n] = name
      values[n] = value
      at[name] = n
    end
  end
  local out = {}
  for n, name in ipairs(names) do
    if values[n] then out[#out + 1] = name .. ':' .. values[n] end
  end
  return '{' .. table.concat(out, ',') .. '}'
end

local session = redis.call('GET', KEYS[1])
if not session then
  return {0}
end
-- Where the metadata sits in the session, so everything around it stays exactly as it was.
local from, to
for _, m in ipairs(members(session, skipSpace(session, 1))) do
  if m[1] == '"metadata"' then
    from, to = m[2], m[3]
  end
end
local patch = ARGV[1]
local merged = merge(from and sub(session, from, to) or nil, patch, skipSpace(patch, 1))
if #merged > tonumber(ARGV[2]) then
  return {-1, #merged}
end
local updated
if from then
  updated = sub(session, 1, from - 1) .. merged .. sub(session, to + 1)
else
  updated = sub(session, 1, #session - 1) .. ',"metadata":' .. merged .. '}'
end
redis.call('SET', KEYS[1], updated, 'KEEPTTL')
return {1, updated, redis.call('PTTL', KEYS[1])}
