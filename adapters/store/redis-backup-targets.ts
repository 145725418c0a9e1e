import type { BackupTargetStore } from '../../jobs/backup-targets-enricher.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';

/**
 * `backup-target:<id>` is a hash: field = cluster, value = ISO time that cluster last reported the
 * target. `backup-targets-of:<cluster>` is the set of ids the cluster reported last, so a target it
 * no longer uses is removed from that target's hash. One MULTI per scan.
 */
export class RedisBackupTargets implements BackupTargetStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async record(
    cluster: string,
    targets: readonly string[],
    at: Date,
  ): Promise<Record<string, Record<string, string>>> {
    const mine = this.keys.key('backup-targets-of', cluster);
    const before = await this.redis.smembers(mine);
    const tx = this.redis.multi();
    for (const id of before.filter((t) => !targets.includes(t)))
      tx.hdel(this.keys.key('backup-target', id), cluster);
    tx.del(mine);
    if (targets.length) tx.sadd(mine, ...targets);
    for (const id of targets) tx.hset(this.keys.key('backup-target', id), cluster, at.toISOString());
    for (const id of targets) tx.hgetall(this.keys.key('backup-target', id));
    const results = await tx.exec();
    if (!results) throw new Error(`transaction on ${mine} was aborted`);
    const reads = results.slice(results.length - targets.length);
    const out: Record<string, Record<string, string>> = {};
    targets.forEach((id, i) => {
      const [err, value] = reads[i];
      if (err) throw err;
      out[id] = (value ?? {}) as Record<string, string>;
    });
    return out;
  }
}
