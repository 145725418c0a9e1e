import { type Posture, type PostureStore, scanStartedMs } from '../../jobs/posture.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';

/**
 * Stores the posture (KEYS[1] field ARGV[1]) and its scan's start (KEYS[2]) unless a later-started
 * scan's posture is there already. 1 stored, 0 stale.
 */
const PUT_NEWER = `
local stored = redis.call('HGET', KEYS[2], ARGV[1])
if stored and tonumber(stored) > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
`;

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

  async put(posture: Posture): Promise<boolean> {
    const started = scanStartedMs(posture);
    if (!Number.isFinite(started)) {
      await this.redis.hset(this.hash, posture.cluster, JSON.stringify(posture));
      return true;
    }
    const stored = await this.redis.eval(
      PUT_NEWER,
      2,
      this.hash,
      this.keys.key('posture-started'),
      posture.cluster,
      String(started),
      JSON.stringify(posture),
    );
    return stored === 1;
  }
}
