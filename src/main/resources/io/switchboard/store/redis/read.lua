-- One page of a log, with the head, epoch and first retained seq read at the same instant (see RedisLog).
-- Read only: entries past their age are skipped here and deleted by the next append.
-- KEYS[1] head, KEYS[2] log
-- ARGV: now (ms, the node's clock), max age ms, from seq, limit (already capped), idle ms
-- Returns {head, firstAvailable, entries, epoch}; a stream with no history is {0, 1, {}, 0}.

local now = tonumber(ARGV[1])
local head, epoch, last, alive = head_of(KEYS[1], now, tonumber(ARGV[5]))
if not alive then
  return {0, 1, {}, 0}
end
local first = first_young(KEYS[2], now - tonumber(ARGV[2])) or head + 1
local from = math.max(tonumber(ARGV[3]), first)
local limit = tonumber(ARGV[4])
local entries = {}
if limit > 0 and from <= head then
  entries = redis.call('XRANGE', KEYS[2], '0-' .. from, '+', 'COUNT', limit)
end
return {head, first, entries, epoch}
