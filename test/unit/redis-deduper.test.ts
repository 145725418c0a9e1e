import { RedisDeduper } from '../../adapters/store/redis-deduper.js';
import { newRedis, uniquePrefix } from '../support/redis.js';

describe('RedisDeduper', () => {
  it('says "first time" once per key, and the key expires', async () => {
    const redis = newRedis();
    try {
      const prefix = uniquePrefix('dedupe');
      const a = new RedisDeduper(redis, prefix);
      const b = new RedisDeduper(redis, prefix); // another replica sharing Redis
      expect(await a.firstTime('cmd:1', 60_000)).toBe(true);
      expect(await b.firstTime('cmd:1', 60_000)).toBe(false);
      expect(await a.firstTime('cmd:2', 60_000)).toBe(true);
      const ttl = await redis.pttl(`${prefix}:slack:delivery:cmd:1`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      await redis.quit();
    }
  });
});
