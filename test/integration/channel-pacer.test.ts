/** Pacing is shared through Redis: two worker replicas together still post ~one message per interval per channel. */

import { Keys } from '../../adapters/store/keys.js';
import { RedisChannelPacer } from '../../adapters/store/redis-channel-pacer.js';
import type { RedisClient } from '../../adapters/store/redis-client.js';
import { newRedisClient, uniquePrefix } from '../support/redis.js';

let redis: RedisClient;
beforeAll(async () => {
  redis = newRedisClient();
  // Connected (and, on Redis Cluster, the slot map loaded) before anything is timed.
  await redis.ping();
});
afterAll(async () => {
  await redis.quit();
});

it('two replicas pacing one channel take turns an interval apart; another channel is not held up', async () => {
  const keys = new Keys(uniquePrefix('pace'));
  const a = new RedisChannelPacer(redis, keys, 150);
  const b = new RedisChannelPacer(redis, keys, 150);
  const t0 = performance.now();
  const at: number[] = [];
  const other = b.wait('slack:C2').then(() => performance.now() - t0);
  await Promise.all([a, b, a, b].map((p) => p.wait('slack:C1').then(() => at.push(performance.now() - t0))));
  at.sort((x, y) => x - y);
  for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(140);
  expect(at[3]).toBeGreaterThanOrEqual(440);
  expect(await other).toBeLessThan(100);
});
