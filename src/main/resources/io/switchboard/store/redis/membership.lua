-- The room's side of a membership change (see RedisMembership), with its webhook note.
-- KEYS[1] the room's member set, KEYS[2] the webhook outbox of the room's slot (see append.lua)
-- ARGV: 'SADD' (join) or 'SREM' (leave), user, room, now (ms, the node's clock), '1' to note a change
-- Returns {1 if the set changed else 0, the note's id or nil}.

if ARGV[1] ~= 'SADD' and ARGV[1] ~= 'SREM' then
  return redis.error_reply('unknown membership operation ' .. tostring(ARGV[1]))
end
local changed = redis.call(ARGV[1], KEYS[1], ARGV[2])
local noted = false
if changed == 1 and ARGV[5] == '1' then
  noted = redis.call('XADD', KEYS[2], '*', 'k', ARGV[1] == 'SADD' and 'j' or 'l', 'r', ARGV[3], 'u', ARGV[2],
    't', ARGV[4])
end
return {changed, noted}
