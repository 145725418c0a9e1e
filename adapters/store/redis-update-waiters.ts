import type { UpdateWaiter, UpdateWaiters } from '../../jobs/update-waiters.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';

const TTL_S = 3600;

/**
 * waiters:<cluster> is a set of waiter ids; waiter:<id> the JSON; waiter:<id>:left the clusters
 * still to scan. Completion is one Lua step so two scans finishing together release a waiter once.
 * Every key the script touches is passed in KEYS (Redis Cluster routes and checks by them):
 * KEYS[1] = waiters:<cluster>, then waiter:<id> and waiter:<id>:left per id read just before;
 * an id no longer in the set was released by a concurrent completion and is skipped.
 */
const COMPLETE = `
local done = {}
for i = 1, #ARGV - 1 do
  if redis.call('SREM', KEYS[1], ARGV[i + 1]) == 1 then
    local left = KEYS[2 * i + 1]
    redis.call('SREM', left, ARGV[1])
    if redis.call('SCARD', left) == 0 then
      local w = redis.call('GET', KEYS[2 * i])
      redis.call('DEL', KEYS[2 * i])
      if w then table.insert(done, w) end
    end
  end
end
return done`;

export class RedisUpdateWaiters implements UpdateWaiters {
  constructor(
    private readonly redis: RedisClient,
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
    const set = this.keys.key('waiters', cluster);
    const ids = await this.redis.smembers(set);
    if (!ids.length) return [];
    const keys = ids.flatMap((id) => [this.keys.key('waiter', id), `${this.keys.key('waiter', id)}:left`]);
    const done = (await this.redis.eval(
      COMPLETE,
      1 + keys.length,
      set,
      ...keys,
      cluster,
      ...ids,
    )) as string[];
    return done.map((w) => JSON.parse(w) as UpdateWaiter);
  }
}
