/**
 * A scan a person asked for (trigger 'command') tells the enrichers not to reuse other scans' data; a
 * scan that ends after a later-started one was stored is dropped before its listeners (alerts) see it.
 */
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

it('a scan that ends after a later-started scan was stored reaches no listener', async () => {
  const keys = new Keys(uniquePrefix('stale'));
  const postures = new RedisPostureStore(redis, keys);
  const heard: string[] = [];
  const started = new Date();
  // A scan that started a minute after this one is stored already.
  await postures.put({
    cluster: 'store-042',
    status: 'ok',
    findings: [],
    scannedAt: new Date(started.getTime() + 61_000).toISOString(),
    durationMs: 1_000,
    backups: [],
  });
  const scan = createScanProcessor({
    config: buildConfig({ clusters: [{ name: 'store-042' }] }, 'test'),
    collector: { collect: async () => snapshot() },
    listeners: [{ onPosture: async (_c, p) => void heard.push(p.scannedAt) }],
    postures,
    waiters: new RedisUpdateWaiters(redis, keys),
    enqueueNotify: async () => undefined,
    clock: systemClock,
    logger: createLogger('silent'),
  });
  await scan({ id: 'j2', data: { cluster: 'store-042', trigger: 'schedule' } } as Job<
    ScanJobData,
    ScanResult
  >);
  expect(heard).toEqual([]);
  expect((await postures.get('store-042'))?.durationMs).toBe(1_000);
  // Once no later scan is stored, the next scan is heard.
  await redis.del(keys.key('posture-started'));
  await scan({ id: 'j3', data: { cluster: 'store-042', trigger: 'schedule' } } as Job<
    ScanJobData,
    ScanResult
  >);
  expect(heard).toHaveLength(1);
});
