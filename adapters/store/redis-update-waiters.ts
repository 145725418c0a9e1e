import type { Redis } from 'ioredis';
import type { UpdateWaiter, UpdateWaiters } from '../../jobs/update-waiters.js';
import type { Keys } from './keys.js';

const TTL_S = 3600;

/**
 * waiters:<cluster> is a set of waiter ids; waiter:<id> the JSON; waiter:<id>:left the clusters
 * still to scan. Completion is one Lua step so two scans finishing together release a waiter once.
 */
const COMPLETE = `
local ids = redis.call('SMEMBERS', KEYS[1])
redis.call('DEL', KEYS[1])
local done = {}
for _, id in ipairs(ids) do
  local left = ARGV[1] .. id .. ':left'
  redis.call('SREM', left, ARGV[2])
  if redis.call('SCARD', left) == 0 then
    local w = redis.call('GET', ARGV[1] .. id)
    redis.call('DEL', ARGV[1] .. id)
    if w then table.insert(done, w) end
  end
end
return done`;

export class RedisUpdateWaiters implements UpdateWaiters {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async add(waiter: UpdateWaiter, clusters: string[]): Promise<void> {
    const base = this.keys.key('waiter', waiter.id);
    const tx = this.redis.multi().set(base, JSON.stringify(waiter), 'EX', TTL_S);
    tx.sadd(`${base}:left`, ...clusters).expire(`${base}:left`, TTL_S);
    for (const c of clusters)
      tx.sadd(this.keys.key('waiters', c), waiter.id).expire(this.keys.key('waiters', c), TTL_S);
    await tx.exec();
  }

  async complete(cluster: string): Promise<UpdateWaiter[]> {
    // Key names are built here, so this is not Redis Cluster safe unless the prefix is hash-tagged ({dpbot}).
    const done = (await this.redis.eval(
      COMPLETE,
      1,
      this.keys.key('waiters', cluster),
      `${this.keys.key('waiter')}:`,
      cluster,
    )) as string[];
    return done.map((w) => JSON.parse(w) as UpdateWaiter);
  }
}
