-- One atomic append (see RedisLog).
-- KEYS[1] seq counter, KEYS[2] log, KEYS[3] idempotency key (only when the sender gave an id)
-- ARGV: now (ms, the node's clock), max messages, max age ms, idempotency window ms,
--       idempotency key TTL ms, message id, from, body
-- Returns {0, seq} for an append, {1, seq, entry or nil} for a duplicate.

local now = tonumber(ARGV[1])
local cutoff = now - tonumber(ARGV[3])

if KEYS[3] then
  -- value "<seq>:<created>"; it counts by the caller's clock, the PX expiry only collects garbage
  local seen = redis.call('GET', KEYS[3])
  if seen then
    local sep = string.find(seen, ':', 1, true)
    local first = tonumber(string.sub(seen, 1, sep - 1))
    if now - tonumber(string.sub(seen, sep + 1)) < tonumber(ARGV[4]) then
      local entry = false
      local young = first_young(KEYS[2], cutoff)
      if young and first >= young then
        entry = redis.call('XRANGE', KEYS[2], '0-' .. first, '0-' .. first)[1] or false
      end
      return {1, first, entry}
    end
  end
end

local seq = redis.call('INCR', KEYS[1])
-- trimmed by count in the same command (exact MAXLEN, as a separate XTRIM would)
redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], '0-' .. seq, 'i', ARGV[6], 'f', ARGV[7], 'b', ARGV[8], 't', ARGV[1])
local young, first = first_young(KEYS[2], cutoff, seq)
if young > first then
  redis.call('XTRIM', KEYS[2], 'MINID', '0-' .. young)
end
-- an idle stream's log disappears once all of it is too old anyway; the counter outlives it by a
-- day (a client back within that day is told of a gap), then goes too, so streams that clients
-- invent do not pile up forever: the stream then starts over at seq 1 (clients see a reset)
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) + 86400000)
if KEYS[3] then
  redis.call('SET', KEYS[3], seq .. ':' .. ARGV[1], 'PX', ARGV[5])
end
return {0, seq}
