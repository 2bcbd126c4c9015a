-- Shared by the log scripts (prepended to them, after retention.lua): a stream's head key.
-- Value "<seq>:<epoch>:<last append ms>"; absent or idle past the grace, the stream has no history.

-- seq, epoch, last append of the stream, and whether it is still alive at now (node clock)
local function head_of(key, now, idle_ms)
  local h = redis.call('GET', key)
  if not h then
    return 0, 0, 0, false
  end
  local a = string.find(h, ':', 1, true)
  local b = string.find(h, ':', a + 1, true)
  local seq = tonumber(string.sub(h, 1, a - 1))
  local epoch = tonumber(string.sub(h, a + 1, b - 1))
  local last = tonumber(string.sub(h, b + 1))
  return seq, epoch, last, now - last <= idle_ms
end
