/** Scan job schedulers: one per configured cluster, re-synced at startup (real BullMQ, real Redis). */
import { Queue } from 'bullmq';
import type { RedisClient } from '../../adapters/store/redis-client.js';
import type { ScanJobData, ScanResult } from '../../jobs/scan-job.js';
import { syncScanSchedulers } from '../../jobs/scan-scheduler.js';
import { newRedisClient, uniquePrefix } from '../support/redis.js';

let redis: RedisClient;
let queue: Queue<ScanJobData, ScanResult>;

beforeAll(() => {
  redis = newRedisClient();
  queue = new Queue<ScanJobData, ScanResult>('scan', { connection: redis, prefix: uniquePrefix('sched') });
});
afterAll(async () => {
  await queue.close();
  await redis.quit();
});

const schedulers = async () =>
  (await queue.getJobSchedulers(0, -1, true))
    .map((s) => [s.key, s.every, s.template?.data?.cluster, s.template?.data?.trigger])
    .sort();

describe('syncScanSchedulers', () => {
  it('adds one scheduler per cluster, updates intervals and removes clusters no longer configured', async () => {
    await syncScanSchedulers(queue, [
      { name: 'store-1', scanIntervalMs: 900_000 },
      { name: 'store-2', scanIntervalMs: 60_000 },
    ]);
    expect(await schedulers()).toEqual([
      ['scan:store-1', 900_000, 'store-1', 'schedule'],
      ['scan:store-2', 60_000, 'store-2', 'schedule'],
    ]);
    // A restart with a changed config: store-1 gone, store-2 slower, store-3 new.
    const result = await syncScanSchedulers(queue, [
      { name: 'store-2', scanIntervalMs: 120_000 },
      { name: 'store-3', scanIntervalMs: 60_000 },
    ]);
    expect(result.removed).toEqual(['store-1']);
    expect(await schedulers()).toEqual([
      ['scan:store-2', 120_000, 'store-2', 'schedule'],
      ['scan:store-3', 60_000, 'store-3', 'schedule'],
    ]);
  });

  it('is idempotent: several replicas syncing the same config leave one scheduler each', async () => {
    const clusters = [
      { name: 'store-2', scanIntervalMs: 120_000 },
      { name: 'store-3', scanIntervalMs: 60_000 },
    ];
    await Promise.all([syncScanSchedulers(queue, clusters), syncScanSchedulers(queue, clusters)]);
    expect(await queue.getJobSchedulersCount()).toBe(2);
    // Each scheduler has exactly one upcoming scan job (store-1's last job, queued before its
    // scheduler was removed, may still run once; the scan processor refuses unknown clusters).
    const upcoming = await queue.getJobs(['delayed', 'waiting', 'prioritized']);
    expect(
      upcoming
        .map((j) => j.data.cluster)
        .filter((c) => c !== 'store-1')
        .sort(),
    ).toEqual(['store-2', 'store-3']);
  });
});
