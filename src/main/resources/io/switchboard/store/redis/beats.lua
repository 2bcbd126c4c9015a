-- Liveness beats of the cluster's nodes (see RedisBeats).
-- KEYS[1] the beats: a sorted set of node ids, each scored by the time its beat expires, in Redis'
-- own clock (TIME), so that expiry never depends on a node's clock.
-- ARGV: "beat", "alive" or "forget"; node id; TTL ms
-- Returns the node ids whose beat has not expired ("alive"), else 0.

if redis.replicate_commands then
  -- Redis before 5 refuses writes after TIME unless effects are replicated instead of the script
  redis.replicate_commands()
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[1] == 'alive' then
  return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if ARGV[1] == 'beat' then
  local ttl = tonumber(ARGV[3])
  redis.call('ZADD', KEYS[1], now + ttl, ARGV[2])
  -- the set outlives every beat in it, and goes once the last node stops beating
  if redis.call('PTTL', KEYS[1]) < ttl then
    redis.call('PEXPIRE', KEYS[1], ttl)
  end
else
  redis.call('ZREM', KEYS[1], ARGV[2])
end
return 0
