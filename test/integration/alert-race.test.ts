/**
 * Two alert engines (two worker processes) deciding on the same cluster at the same moment, each
 * with its own Redis connection and clock: the per-cluster commit lets exactly one open the alert.
 */
import { Queue } from 'bullmq';
import { Keys } from '../../adapters/store/keys.js';
import { RedisAlertStore } from '../../adapters/store/redis-alert-state.js';
import type { RedisClient } from '../../adapters/store/redis-client.js';
import { RedisSubscriptions } from '../../adapters/store/redis-subscriptions.js';
import { buildConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { AlertEngine } from '../../jobs/alerts/alert-engine.js';
import type { NotifyJobData } from '../../jobs/notify-job.js';
import type { Posture } from '../../jobs/posture.js';
import { newRedisClient, uniquePrefix } from '../support/redis.js';

const prefix = uniquePrefix('race');
const conns: RedisClient[] = [];
let queue: Queue<NotifyJobData>;
const cluster = buildConfig(
  { clusters: [{ name: 'store-9', alerts: { openAfter: 1, slack: ['C1', 'C2'] } }] },
  'test',
).clusters[0];
const failing = (i: number): Posture => ({
  cluster: 'store-9',
  status: 'fail',
  findings: [
    {
      check: 'backup-location',
      status: 'fail',
      reason: 'BackupLocationUnavailable',
      message: `x${i}`,
      resource: `velero/bsl-${i}`,
    },
  ],
  scannedAt: '',
  durationMs: 0,
  backups: [],
});

function engine(offsetMs: number): AlertEngine {
  const redis = newRedisClient();
  conns.push(redis);
  const keys = new Keys(prefix);
  return new AlertEngine({
    store: new RedisAlertStore(redis, keys),
    subscriptions: new RedisSubscriptions(redis, keys),
    enqueueNotify: async (data, jobId) => {
      await queue.add('notify', data, { jobId });
    },
    // Different clocks: without the atomic commit both would open, with different job ids.
    clock: { now: () => new Date(Date.parse('2026-11-26T08:00:00Z') + offsetMs) },
    logger: createLogger('silent'),
  });
}

beforeAll(() => {
  const redis = newRedisClient();
  conns.push(redis);
  queue = new Queue('notify', { connection: redis, prefix });
});
afterAll(async () => {
  await queue.close();
  for (const c of conns) await c.quit();
});

it('concurrent decisions on one cluster open each alert once per channel', async () => {
  const [a, b] = [engine(0), engine(7)];
  for (let i = 0; i < 10; i++)
    await Promise.all([a.onPosture(cluster, failing(i)), b.onPosture(cluster, failing(i))]);
  const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
  const opens = jobs.filter((j) => j.data.op === 'send' && !j.data.to.thread);
  expect(opens).toHaveLength(20);
  const perAlert = new Map<string, number>();
  for (const j of opens) {
    const k = `${j.data.op === 'send' && j.data.alert?.key} ${j.data.op === 'send' && j.data.to.channel}`;
    perAlert.set(k, (perAlert.get(k) ?? 0) + 1);
  }
  expect([...perAlert.values()].every((n) => n === 1)).toBe(true);
});

it('a posture from a scan that started before the applied one changes nothing', async () => {
  const e = engine(0);
  const store = new RedisAlertStore(conns[0], new Keys(prefix));
  const c = buildConfig({ clusters: [{ name: 'store-10', alerts: { openAfter: 1, slack: ['C1'] } }] }, 'test')
    .clusters[0];
  const at = (startIso: string, status: 'ok' | 'fail'): Posture => ({
    ...failing(0),
    cluster: 'store-10',
    status,
    findings: failing(0).findings.map((f) => ({ ...f, status })),
    scannedAt: new Date(Date.parse(startIso) + 500).toISOString(),
    durationMs: 500,
  });
  const open = async () => [...(await store.read('store-10')).states.values()].filter((s) => s.open).length;
  await e.onPosture(c, at('2026-11-26T08:00:10Z', 'fail'));
  expect(await open()).toBe(1);
  expect((await store.read('store-10')).scanStartedMs).toBe(Date.parse('2026-11-26T08:00:10Z'));
  // Started 10 s before the applied scan, so it read older objects: it resolves nothing.
  await e.onPosture(c, at('2026-11-26T08:00:00Z', 'ok'));
  expect(await open()).toBe(1);
  // A newer scan sees it fixed: resolved.
  await e.onPosture(c, at('2026-11-26T08:00:20Z', 'ok'));
  expect(await open()).toBe(0);
});
