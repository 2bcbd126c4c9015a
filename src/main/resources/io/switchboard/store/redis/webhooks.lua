-- The webhook event queue (see RedisEventQueue and io.switchboard.webhooks.EventQueue).
-- KEYS[1] the queue: a Redis Stream, entries {event = <JSON>}, read through the consumer group
--         'deliverers'; an entry stays until acked (delivered) or moved to the dead letters
-- KEYS[2] the dead letters: a Redis Stream, entries {event, reason, at}, capped
-- KEYS[3] the delivery lease: the id of the consumer that delivers, with a TTL
-- KEYS[4] the outbox of a single server (see append.lua): notes of messages whose events are not
--         queued yet; unused in a Redis Cluster, where each slot has its own
-- ARGV[1] the operation; the others depend on it (see each below)

if redis.replicate_commands then
  -- Redis before 5 refuses writes after TIME unless effects are replicated instead of the script
  redis.replicate_commands()
end
local q, dead, lease, outbox = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local GROUP = 'deliverers'
local op = ARGV[1]

local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function ensureGroup()
  -- BUSYGROUP once it exists: cheaper to ignore than to ask XINFO first
  pcall(redis.call, 'XGROUP', 'CREATE', q, GROUP, '0', 'MKSTREAM')
end

local function bury(event, reason, cap, at)
  redis.call('XADD', dead, 'MAXLEN', cap, '*', 'event', event, 'reason', reason, 'at', at)
end

local function field(entry, name)
  local f = entry[2]
  for i = 1, #f, 2 do
    if f[i] == name then
      return f[i + 1]
    end
  end
  return false
end

-- Queues events; past the cap the oldest become dead letters. Returns how many were buried.
local function add(events, cap, deadCap)
  ensureGroup()
  local over = redis.call('XLEN', q) + #events - cap
  local buried = 0
  local at
  if over > 0 then
    at = now()
    local old = redis.call('XRANGE', q, '-', '+', 'COUNT', over)
    for _, e in ipairs(old) do
      bury(field(e, 'event'), 'queue_full', deadCap, at)
      -- acked too: a taken entry must not stay pending with nothing behind it
      redis.call('XACK', q, GROUP, e[1])
      redis.call('XDEL', q, e[1])
      buried = buried + 1
    end
  end
  for i, event in ipairs(events) do
    if #events - i + 1 > cap then
      bury(event, 'queue_full', deadCap, at or now())
      buried = buried + 1
    else
      redis.call('XADD', q, '*', 'event', event)
    end
  end
  return buried
end

-- add: ARGV[2] queue cap, ARGV[3] dead-letter cap, ARGV[4] n, ARGV[5..4+n] events, then ids of
-- outbox notes settled by them (deleted in the same step). Returns how many were buried.
if op == 'add' then
  local n = tonumber(ARGV[4])
  local events = {}
  for i = 5, 4 + n do
    events[#events + 1] = ARGV[i]
  end
  local buried = add(events, tonumber(ARGV[2]), tonumber(ARGV[3]))
  for i = 5 + n, #ARGV do
    redis.call('XDEL', outbox, ARGV[i])
  end
  return buried
end

-- lead: ARGV[2] consumer, ARGV[3] lease ms. Returns 1 while the consumer holds the lease.
if op == 'lead' then
  local holder = redis.call('GET', lease)
  if holder == ARGV[2] then
    redis.call('PEXPIRE', lease, ARGV[3])
    return 1
  end
  if holder then
    return 0
  end
  redis.call('SET', lease, ARGV[2], 'PX', ARGV[3])
  -- consumers of earlier leaders with nothing pending are gone for good: forget them
  ensureGroup()
  for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', q, GROUP)) do
    local name, pending
    for i = 1, #c, 2 do
      if c[i] == 'name' then name = c[i + 1] elseif c[i] == 'pending' then pending = c[i + 1] end
    end
    if name ~= ARGV[2] and pending == 0 then
      redis.call('XGROUP', 'DELCONSUMER', q, GROUP, name)
    end
  end
  return 1
end

if op == 'resign' then
  if redis.call('GET', lease) == ARGV[2] then
    redis.call('DEL', lease)
  end
  return 0
end

-- take: ARGV[2] consumer, ARGV[3] the last id already taken ('0-0': none), ARGV[4] max.
-- Returns {id, event, id, event, ...}: entries pending with anyone (claimed), then new ones.
if op == 'take' then
  ensureGroup()
  local max = tonumber(ARGV[4])
  local start = ARGV[3]
  if start ~= '0-0' then
    local ms, n = string.match(start, '^(%d+)-(%d+)$')
    start = ms .. '-' .. string.format('%d', tonumber(n) + 1)
  end
  local out = {}
  local taken = 0
  while taken < max do
    local r = redis.call('XAUTOCLAIM', q, GROUP, ARGV[2], 0, start, 'COUNT', max - taken)
    for _, e in ipairs(r[2]) do
      if e[2] then
        out[#out + 1] = e[1]
        out[#out + 1] = field(e, 'event')
        taken = taken + 1
      end
    end
    start = r[1]
    if start == '0-0' then
      break
    end
  end
  if taken < max then
    local r = redis.call('XREADGROUP', 'GROUP', GROUP, ARGV[2], 'COUNT', max - taken, 'STREAMS', q, '>')
    if r then
      for _, e in ipairs(r[1][2]) do
        out[#out + 1] = e[1]
        out[#out + 1] = field(e, 'event')
      end
    end
  end
  return out
end

-- ack: ARGV[2..] ids
if op == 'ack' then
  for i = 2, #ARGV do
    redis.call('XACK', q, GROUP, ARGV[i])
    redis.call('XDEL', q, ARGV[i])
  end
  return 0
end

-- dead: ARGV[2] reason, ARGV[3] dead-letter cap, ARGV[4..] id, event pairs
if op == 'dead' then
  local at = now()
  for i = 4, #ARGV, 2 do
    if redis.call('XDEL', q, ARGV[i]) == 1 then
      bury(ARGV[i + 1], ARGV[2], tonumber(ARGV[3]), at)
    end
    redis.call('XACK', q, GROUP, ARGV[i])
  end
  return 0
end

-- page: ARGV[2] after ('' from the oldest), ARGV[3] limit. Returns {id, event, reason, at, ...}, one more than limit if more
if op == 'page' then
  local from = ARGV[2] == '' and '-' or '(' .. ARGV[2]
  local out = {}
  for _, e in ipairs(redis.call('XRANGE', dead, from, '+', 'COUNT', tonumber(ARGV[3]) + 1)) do
    out[#out + 1] = e[1]
    out[#out + 1] = field(e, 'event')
    out[#out + 1] = field(e, 'reason')
    out[#out + 1] = field(e, 'at')
  end
  return out
end

-- replay: ARGV[2] queue cap, ARGV[3] dead-letter cap, ARGV[4..] dead-letter ids. Returns how many moved.
if op == 'replay' then
  local events = {}
  for i = 4, #ARGV do
    local found = redis.call('XRANGE', dead, ARGV[i], ARGV[i])
    if #found == 1 then
      events[#events + 1] = field(found[1], 'event')
      redis.call('XDEL', dead, ARGV[i])
    end
  end
  add(events, tonumber(ARGV[2]), tonumber(ARGV[3]))
  return #events
end

if op == 'sizes' then
  return {redis.call('XLEN', q), redis.call('XLEN', dead)}
end

return redis.error_reply('unknown webhooks operation ' .. tostring(op))
