/**
 * Lua for the proposal state changes: each runs as one atomic Redis step, so two simultaneous clicks
 * can never both approve (DESIGN §7.3). KEYS[1] = proposal hash, KEYS[2] = pending index (zset).
 */

/** ARGV: approver, hash, nowMs, id → {result, approvals, status} */
export const APPROVE_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'not-found'} end
local f = redis.call('HMGET', KEYS[1], 'status', 'hash', 'requester', 'expiresAtMs', 'required', 'approvals')
if f[1] ~= 'pending' then return {'not-pending', f[1]} end
if tonumber(ARGV[3]) >= tonumber(f[4]) then return {'expired'} end
if f[2] ~= ARGV[2] then return {'hash-mismatch'} end
if f[3] == ARGV[1] then return {'self'} end
local list = f[6] or ''
local count = 0
for a in string.gmatch(list, '[^\\n]+') do
  if a == ARGV[1] then return {'already'} end
  count = count + 1
end
if list == '' then list = ARGV[1] else list = list .. '\\n' .. ARGV[1] end
count = count + 1
redis.call('HSET', KEYS[1], 'approvals', list)
if count >= tonumber(f[5]) then
  redis.call('HSET', KEYS[1], 'status', 'approved')
  redis.call('ZREM', KEYS[2], ARGV[4])
  return {'approved'}
end
return {'counted'}
`;

/** ARGV: by, hash ('' = not checked), nowMs, id, reason */
export const REJECT_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'not-found'} end
local f = redis.call('HMGET', KEYS[1], 'status', 'hash', 'expiresAtMs')
if f[1] ~= 'pending' then return {'not-pending', f[1]} end
if tonumber(ARGV[3]) >= tonumber(f[3]) then return {'expired'} end
if ARGV[2] ~= '' and f[2] ~= ARGV[2] then return {'hash-mismatch'} end
redis.call('HSET', KEYS[1], 'status', 'rejected', 'decidedBy', ARGV[1], 'rejectReason', ARGV[5])
redis.call('ZREM', KEYS[2], ARGV[4])
return {'rejected'}
`;

/** ARGV: id → 1 when it was pending and is now expired */
export const EXPIRE_LUA = `
if redis.call('HGET', KEYS[1], 'status') ~= 'pending' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'expired')
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
`;

/** approved → running; 1 if running now (also when it already was). */
export const START_RUN_LUA = `
local s = redis.call('HGET', KEYS[1], 'status')
if s == 'approved' then redis.call('HSET', KEYS[1], 'status', 'running') return 1 end
if s == 'running' then return 1 end
return 0
`;

/** ARGV: progress JSON → 1 when it changed */
export const PROGRESS_LUA = `
if redis.call('HGET', KEYS[1], 'progress') == ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'progress', ARGV[1])
return 1
`;
