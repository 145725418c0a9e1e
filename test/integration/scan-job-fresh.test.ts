/** A scan a person asked for (trigger 'command') tells the enrichers not to reuse other scans' data. */
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { Keys } from '../../adapters/store/keys.js';
import { RedisPostureStore } from '../../adapters/store/redis-posture-store.js';
import { RedisUpdateWaiters } from '../../adapters/store/redis-update-waiters.js';
import { systemClock } from '../../bot/clock.js';
import { buildConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { createScanProcessor, type ScanJobData, type ScanResult } from '../../jobs/scan-job.js';
import { snapshot } from '../fakes/key-vault/secret-scenario.js';
import { newRedis, uniquePrefix } from '../support/redis.js';

let redis: Redis;
beforeAll(() => {
  redis = newRedis();
});
afterAll(async () => {
  await redis.quit();
});

it.each([
  ['command', true],
  ['schedule', false],
  ['startup', false],
] as const)('trigger %s → enrich(..., { fresh: %s })', async (trigger, fresh) => {
  const keys = new Keys(uniquePrefix('fresh'));
  const seen: Array<{ fresh?: boolean } | undefined> = [];
  const scan = createScanProcessor({
    config: buildConfig({ clusters: [{ name: 'store-042' }] }, 'test'),
    collector: { collect: async () => snapshot() },
    enrichers: [{ enrich: async (_c, _s, _n, opts) => void seen.push(opts) }],
    postures: new RedisPostureStore(redis, keys),
    waiters: new RedisUpdateWaiters(redis, keys),
    enqueueNotify: async () => undefined,
    clock: systemClock,
    logger: createLogger('silent'),
  });
  await scan({ id: 'j1', data: { cluster: 'store-042', trigger } } as Job<ScanJobData, ScanResult>);
  expect(seen).toEqual([{ fresh }]);
});
