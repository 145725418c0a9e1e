/**
 * Lua for the proposal state changes. The rules live in jobs/approvals/decide-approval.ts; each script
 * only performs the step a rule decided, as one atomic Redis step that first checks the proposal is
 * still as the rule saw it — so two simultaneous clicks can never both count (DESIGN §7.3).
 */

/**
 * Adds an approval decided on a proposal read earlier.
 * KEYS[1] = proposal hash, KEYS[2] = pending index (zset)
 * ARGV[1] = approvals as read ('\n'-joined), ARGV[2] = approvals to store, ARGV[3] = '1' when that
 * approves, ARGV[4] = proposal id, ARGV[5] = the action hash approved
 * → 'applied', or 'stale' when status, approvals or hash changed since the read (nothing written)
 */
export const COUNT_APPROVAL_LUA = `
local f = redis.call('HMGET', KEYS[1], 'status', 'approvals', 'hash')
if f[1] ~= 'pending' or (f[2] or '') ~= ARGV[1] or f[3] ~= ARGV[5] then return 'stale' end
redis.call('HSET', KEYS[1], 'approvals', ARGV[2])
if ARGV[3] == '1' then
  redis.call('HSET', KEYS[1], 'status', 'approved')
  redis.call('ZREM', KEYS[2], ARGV[4])
end
return 'applied'
`;

/**
 * Rejects a proposal a rule found pending.
 * KEYS[1] = proposal hash, KEYS[2] = pending index (zset)
 * ARGV[1] = by, ARGV[2] = proposal id, ARGV[3] = reason ('' = none)
 * → 'applied', or 'stale' when it is no longer pending
 */
export const REJECT_LUA = `
if redis.call('HGET', KEYS[1], 'status') ~= 'pending' then return 'stale' end
redis.call('HSET', KEYS[1], 'status', 'rejected', 'decidedBy', ARGV[1], 'rejectReason', ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[2])
return 'applied'
`;

/**
 * Expires a proposal its delayed job found due.
 * KEYS[1] = proposal hash, KEYS[2] = pending index (zset); ARGV[1] = proposal id
 * → 1 when it was pending and is now expired
 */
export const EXPIRE_LUA = `
if redis.call('HGET', KEYS[1], 'status') ~= 'pending' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'expired')
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
`;

/**
 * approved → running, for the execute job.
 * KEYS[1] = proposal hash → 1 if running now (also when it already was: a retried job)
 */
export const START_RUN_LUA = `
local s = redis.call('HGET', KEYS[1], 'status')
if s == 'approved' then redis.call('HSET', KEYS[1], 'status', 'running') return 1 end
if s == 'running' then return 1 end
return 0
`;

/**
 * Stores progress only when it changed, so the card is re-rendered once per change.
 * KEYS[1] = proposal hash; ARGV[1] = progress JSON → 1 when it changed
 */
export const PROGRESS_LUA = `
if redis.call('HGET', KEYS[1], 'progress') == ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'progress', ARGV[1])
return 1
`;
