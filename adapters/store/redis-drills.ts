/**
 * Drill records (DESIGN §10) in Redis: `drill:<id>` (JSON), `drills:<cluster>` (zset by start time,
 * newest read first) and `drills:leftovers:<cluster>` (drills whose cleanup has not finished).
 */

import type { DrillRecord, DrillStore } from '../../jobs/drill/ports.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';

/** Drill history kept for `/dp drills` and `restore-verified` (longer than any sane drills.maxAge). */
const RETAIN_SECONDS = 400 * 86400;
const MAX_PER_CLUSTER = 500;

export class RedisDrillStore implements DrillStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  private key(id: string): string {
    return this.keys.key('drill', id);
  }
  private index(cluster: string): string {
    return this.keys.key('drills', cluster);
  }
  private leftovers(cluster: string): string {
    return this.keys.key('drills', 'leftovers', cluster);
  }

  async get(id: string): Promise<DrillRecord | undefined> {
    const raw = await this.redis.get(this.key(id));
    return raw ? (JSON.parse(raw) as DrillRecord) : undefined;
  }

  async put(r: DrillRecord): Promise<void> {
    const m = this.redis
      .multi()
      .set(this.key(r.id), JSON.stringify(r), 'EX', RETAIN_SECONDS)
      .zadd(this.index(r.cluster), Date.parse(r.approvedAt), r.id)
      .zremrangebyrank(this.index(r.cluster), 0, -MAX_PER_CLUSTER - 1);
    if (r.cleanup === 'failed') m.sadd(this.leftovers(r.cluster), r.id);
    else m.srem(this.leftovers(r.cluster), r.id);
    await m.exec();
  }

  async latest(cluster: string, limit: number): Promise<DrillRecord[]> {
    const ids = await this.redis.zrevrange(this.index(cluster), 0, Math.max(0, limit - 1));
    return this.load(ids);
  }

  async withLeftovers(cluster: string): Promise<DrillRecord[]> {
    return this.load(await this.redis.smembers(this.leftovers(cluster)));
  }

  async claimSchedule(cluster: string, ms: number): Promise<boolean> {
    const key = this.keys.key('drills', 'scheduled', cluster);
    return (await this.redis.set(key, new Date().toISOString(), 'PX', Math.max(1, ms), 'NX')) === 'OK';
  }

  private async load(ids: string[]): Promise<DrillRecord[]> {
    if (!ids.length) return [];
    const raws = await this.redis.mget(...ids.map((id) => this.key(id)));
    return raws.flatMap((raw) => (raw ? [JSON.parse(raw) as DrillRecord] : []));
  }
}
