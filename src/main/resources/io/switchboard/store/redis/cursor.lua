-- Moves one cursor forward and keeps the user's most recently acking devices (see RedisCursors).
-- KEYS[1] the user's devices (sorted set, score = order of last ack), KEYS[2] this device's cursors (hash)
-- ARGV: device, stream, seq, max devices, TTL ms, reset ("1": set even if lower)
-- Returns the devices dropped from the set; the caller deletes their cursor hashes.

local current = redis.call('HGET', KEYS[2], ARGV[2])
if ARGV[6] == '1' or not current or tonumber(current) < tonumber(ARGV[3]) then
  redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
end

-- a counter, not the time: acks within one millisecond must still keep their order
local top = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
redis.call('ZADD', KEYS[1], top[2] and (tonumber(top[2]) + 1) or 1, ARGV[1])

local dropped = {}
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
if excess > 0 then
  dropped = redis.call('ZRANGE', KEYS[1], 0, excess - 1)
  redis.call('ZREM', KEYS[1], unpack(dropped))
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return dropped
