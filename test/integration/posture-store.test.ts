/** Postures in Redis: two scans of one cluster that end out of order leave the newer one stored. */
import { Keys } from '../../adapters/store/keys.js';
import type { RedisClient } from '../../adapters/store/redis-client.js';
import { RedisPostureStore } from '../../adapters/store/redis-posture-store.js';
import type { Posture } from '../../jobs/posture.js';
import { newRedisClient, uniquePrefix } from '../support/redis.js';

let redis: RedisClient;
let store: RedisPostureStore;

beforeAll(() => {
  redis = newRedisClient();
  store = new RedisPostureStore(redis, new Keys(uniquePrefix('postures')));
});
afterAll(async () => {
  await redis.quit();
});

/** A scan that started at `startIso` and took `durationMs`. */
const posture = (startIso: string, durationMs: number, status: Posture['status']): Posture => ({
  cluster: 'store-1',
  status,
  findings: [],
  scannedAt: new Date(Date.parse(startIso) + durationMs).toISOString(),
  durationMs,
  backups: [],
});

it('keeps the posture of the scan that started last, whichever ends last', async () => {
  // Started at :00, slow (ended :30); started at :10, fast (ended :12) and stored first.
  expect(await store.put(posture('2026-12-04T08:00:10Z', 2000, 'ok'))).toBe(true);
  expect(await store.put(posture('2026-12-04T08:00:00Z', 30000, 'fail'))).toBe(false);
  expect((await store.get('store-1'))?.status).toBe('ok');
  // A scan started later replaces it; the same start again (a re-put) is stored too.
  expect(await store.put(posture('2026-12-04T08:01:00Z', 1000, 'fail'))).toBe(true);
  expect(await store.put(posture('2026-12-04T08:01:00Z', 1000, 'warn'))).toBe(true);
  expect((await store.getMany(['store-1'])).get('store-1')?.status).toBe('warn');
});
