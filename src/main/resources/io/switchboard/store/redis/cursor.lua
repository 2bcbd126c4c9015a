-- Moves one cursor forward and keeps the user's most recently acking devices (see RedisCursors).
-- KEYS[1] the user's devices (sorted set, score = order of last ack), KEYS[2] this device's cursors (hash)
-- ARGV: device, stream, seq, epoch, max devices
-- A cursor is "<seq>:<epoch>"; a newer epoch replaces any older one, within an epoch only a higher seq.
-- Returns the devices dropped from the set; the caller deletes their cursor hashes.

local seq = tonumber(ARGV[3])
local epoch = tonumber(ARGV[4])
local current = redis.call('HGET', KEYS[2], ARGV[2])
local move = true
if current then
  local sep = string.find(current, ':', 1, true)
  local cseq = tonumber(string.sub(current, 1, sep and sep - 1 or nil))
  local cepoch = sep and tonumber(string.sub(current, sep + 1)) or 0
  move = epoch > cepoch or (epoch == cepoch and seq > cseq)
end
if move then
  redis.call('HSET', KEYS[2], ARGV[2], ARGV[3] .. ':' .. ARGV[4])
end

-- a counter, not the time: acks within one millisecond must still keep their order
local top = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
redis.call('ZADD', KEYS[1], top[2] and (tonumber(top[2]) + 1) or 1, ARGV[1])

local dropped = {}
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[5])
if excess > 0 then
  dropped = redis.call('ZRANGE', KEYS[1], 0, excess - 1)
  redis.call('ZREM', KEYS[1], unpack(dropped))
end
-- cursors do not expire (keys of earlier versions did)
redis.call('PERSIST', KEYS[1])
redis.call('PERSIST', KEYS[2])
return dropped
