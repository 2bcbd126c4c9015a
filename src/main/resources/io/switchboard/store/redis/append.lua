-- One atomic append (see RedisLog).
-- KEYS[1] head, KEYS[2] log, KEYS[3] the webhook outbox of the stream's slot,
-- KEYS[4] idempotency key (only when the sender gave an id)
-- ARGV: now (ms, the node's clock), max messages, max age ms, idempotency window ms,
--       idempotency key TTL ms, message id, from, body, idle ms (age + grace: the stream is
--       forgotten after that long without an append), head key TTL ms, '1' to note the message in
--       the outbox (the webhooks must hear of it even if this node dies before it tells them),
--       the stream's name
-- Returns {0, seq, epoch, outbox entry id or nil} for an append, {1, seq, epoch, entry or nil} for a duplicate.

local now = tonumber(ARGV[1])
local cutoff = now - tonumber(ARGV[3])
local seq, epoch, last, alive = head_of(KEYS[1], now, tonumber(ARGV[9]))

if KEYS[4] and alive then
  -- value "<seq>:<epoch>:<created>"; it counts by the caller's clock, the PX expiry only collects garbage
  local seen = redis.call('GET', KEYS[4])
  if seen then
    local a = string.find(seen, ':', 1, true)
    local b = string.find(seen, ':', a + 1, true)
    local first = tonumber(string.sub(seen, 1, a - 1))
    if b and tonumber(string.sub(seen, a + 1, b - 1)) == epoch
        and now - tonumber(string.sub(seen, b + 1)) < tonumber(ARGV[4]) then
      local entry = false
      local young = first_young(KEYS[2], cutoff)
      if young and first >= young then
        entry = redis.call('XRANGE', KEYS[2], '0-' .. first, '0-' .. first)[1] or false
      end
      return {1, first, epoch, entry}
    end
  end
end

if not alive then
  -- a new history, named by Redis' own time in microseconds: after a restart or a flush that lost
  -- every key, its clock is still past every epoch it handed out (nodes' clocks, which tests move,
  -- play no part); while the old head is still there, above it whatever the clocks say
  local t = redis.call('TIME')
  epoch = math.max(tonumber(t[1]) * 1000000 + tonumber(t[2]), epoch + 1)
  seq = 0
  redis.call('DEL', KEYS[2])
end
seq = seq + 1
-- trimmed by count in the same command (exact MAXLEN, as a separate XTRIM would)
redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], '0-' .. seq, 'i', ARGV[6], 'f', ARGV[7], 'b', ARGV[8], 't', ARGV[1])
local young, first = first_young(KEYS[2], cutoff, seq)
if young > first then
  redis.call('XTRIM', KEYS[2], 'MINID', '0-' .. young)
end
-- expiry only collects garbage: whether the stream is alive is decided above, by the node's clock
-- %d: Lua's default number format would round an epoch of 16 digits
redis.call('SET', KEYS[1], string.format('%d:%d:%s', seq, epoch, ARGV[1]), 'PX', ARGV[10])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
if KEYS[4] then
  redis.call('SET', KEYS[4], string.format('%d:%d:%s', seq, epoch, ARGV[1]), 'PX', ARGV[5])
end
local noted = false
if ARGV[11] == '1' then
  noted = redis.call('XADD', KEYS[3], '*', 's', ARGV[12], 'q', seq, 'e', string.format('%d', epoch),
    'i', ARGV[6], 'f', ARGV[7], 't', ARGV[1])
end
return {0, seq, epoch, noted}
