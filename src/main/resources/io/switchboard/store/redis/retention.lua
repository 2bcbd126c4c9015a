-- Shared by the log scripts (prepended to them): where the retained part of a log begins.
-- A log entry is {id, {field, value, ...}} with id "0-<seq>" and the append time in field "t".

local function seq_of(entry)
  return tonumber(string.sub(entry[1], 3))
end

local function ts_of(entry)
  local fields = entry[2]
  for i = 1, #fields, 2 do
    if fields[i] == 't' then
      return tonumber(fields[i + 1])
    end
  end
  return 0
end

-- The first entry whose seq is >= s (nil when there is none).
local function entry_from(log, s)
  return redis.call('XRANGE', log, '0-' .. s, '+', 'COUNT', 1)[1]
end

-- Lowest seq whose entry is younger than the cutoff (ts > cutoff), or nil when none is; and the
-- log's first seq. known_young: the seq of an entry known to be young (the one just appended), or nil.
-- Entries are appended in time order, so the young ones form a suffix of the log: a binary search
-- over seqs finds where it starts in O(log n) lookups, however many old entries an idle stream
-- still holds (the caller's clock decides age, not Redis' expiry). With clocks skewed between
-- nodes the order is only roughly by time; the search still stops between an old and a young entry.
local function first_young(log, cutoff, known_young)
  local first = redis.call('XRANGE', log, '-', '+', 'COUNT', 1)[1]
  if not first then
    return nil, nil
  end
  local lo = seq_of(first)
  if ts_of(first) > cutoff then
    return lo, lo
  end
  local hi = known_young
  if not hi then
    local last = redis.call('XREVRANGE', log, '+', '-', 'COUNT', 1)[1]
    if ts_of(last) <= cutoff then
      return nil, lo
    end
    hi = seq_of(last)
  end
  -- invariant: the entry from lo is old, the entry from hi is young
  local first_seq = lo
  while hi - lo > 1 do
    local mid = math.floor((lo + hi) / 2)
    if ts_of(entry_from(log, mid)) > cutoff then
      hi = mid
    else
      lo = mid
    end
  end
  return seq_of(entry_from(log, hi)), first_seq
end

