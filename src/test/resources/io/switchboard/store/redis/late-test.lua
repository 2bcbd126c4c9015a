-- A script that only RedisScriptsTest registers, after the store's connection opened.
return redis.call('INCR', KEYS[1])
