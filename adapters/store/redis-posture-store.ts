import type { Posture, PostureStore } from '../../jobs/posture.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';

/** Postures in one hash (field = cluster): `/dp clusters` reads a fleet of thousands in one HMGET. */
export class RedisPostureStore implements PostureStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  private get hash(): string {
    return this.keys.key('posture');
  }

  async get(cluster: string): Promise<Posture | undefined> {
    const raw = await this.redis.hget(this.hash, cluster);
    return raw ? (JSON.parse(raw) as Posture) : undefined;
  }

  async getMany(clusters: string[]): Promise<Map<string, Posture>> {
    const out = new Map<string, Posture>();
    if (clusters.length === 0) return out;
    const raws = await this.redis.hmget(this.hash, ...clusters);
    raws.forEach((raw, i) => {
      if (raw) out.set(clusters[i], JSON.parse(raw) as Posture);
    });
    return out;
  }

  async put(posture: Posture): Promise<void> {
    await this.redis.hset(this.hash, posture.cluster, JSON.stringify(posture));
  }
}
