-- One page of a log, with the head and first retained seq read at the same instant (see RedisLog).
-- Read only: entries past their age are skipped here and deleted by the next append.
-- KEYS[1] seq counter, KEYS[2] log
-- ARGV: now (ms, the node's clock), max age ms, from seq, limit (already capped)
-- Returns {head, firstAvailable, entries}.

local head = tonumber(redis.call('GET', KEYS[1]) or '0')
local first = first_young(KEYS[2], tonumber(ARGV[1]) - tonumber(ARGV[2])) or head + 1
local from = math.max(tonumber(ARGV[3]), first)
local limit = tonumber(ARGV[4])
local entries = {}
if limit > 0 and from <= head then
  entries = redis.call('XRANGE', KEYS[2], '0-' .. from, '+', 'COUNT', limit)
end
return {head, first, entries}
