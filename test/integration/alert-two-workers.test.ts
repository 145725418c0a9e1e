/**
 * Two dpbot worker sets (own connections, engines, notify workers) against one Redis, one queue
 * prefix and one cluster, driven by the real BullMQ job scheduler plus concurrent command scans:
 * each alert card and each resolution is posted exactly once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { KubeSnapshotCollector } from '../../adapters/kube/snapshot-collector.js';
import { Keys } from '../../adapters/store/keys.js';
import { RedisAlertStore } from '../../adapters/store/redis-alert-state.js';
import type { RedisClient } from '../../adapters/store/redis-client.js';
import { RedisPostureStore } from '../../adapters/store/redis-posture-store.js';
import { RedisSubscriptions } from '../../adapters/store/redis-subscriptions.js';
import { RedisUpdateWaiters } from '../../adapters/store/redis-update-waiters.js';
import { systemClock } from '../../bot/clock.js';
import { buildConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { AlertEngine } from '../../jobs/alerts/alert-engine.js';
import { createAlertRefRecorder } from '../../jobs/alerts/alert-ref-recorder.js';
import { ChannelPacer, createNotifyProcessor, type NotifyJobData } from '../../jobs/notify-job.js';
import { startWorkers, type WorkerSet } from '../../jobs/queues.js';
import { createScanProcessor, type ScanJobData } from '../../jobs/scan-job.js';
import { syncScanSchedulers } from '../../jobs/scan-scheduler.js';
import { FakeKubeApi } from '../fakes/kube-api/fake-kube-api.js';
import { newRedisClient, uniquePrefix } from '../support/redis.js';
import { BSL, mentions, RecordingSender, seedHealthy, settled, waitFor } from './alert-harness.js';

const KEY = 'store-2/backup-location/velero/default';
const dir = mkdtempSync(join(tmpdir(), 'dpbot-2w-'));
const prefix = uniquePrefix('twoworkers');
const logger = createLogger('silent');
const sender = new RecordingSender();
const config = buildConfig(
  {
    clusters: [
      {
        name: 'store-2',
        kubeconfig: join(dir, 'kubeconfig'),
        context: 'store-2',
        scanInterval: '300ms',
        alerts: { openAfter: 2, slack: ['C2'] },
      },
    ],
  },
  'test',
);
let fake: FakeKubeApi;
const conns: RedisClient[] = [];
const sets: WorkerSet[] = [];
const queues: Queue[] = [];
let scansDone = 0;

/** One "dpbot --role worker" process: its own Redis connection and every in-process object. */
async function startReplica(): Promise<Queue<ScanJobData>> {
  const redis = newRedisClient();
  conns.push(redis);
  const keys = new Keys(prefix);
  const scanQueue = new Queue<ScanJobData>('scan', { connection: redis, prefix });
  const notifyQueue = new Queue<NotifyJobData>('notify', { connection: redis, prefix });
  queues.push(scanQueue, notifyQueue);
  const store = new RedisAlertStore(redis, keys);
  const enqueueNotify = async (data: NotifyJobData, jobId: string) => {
    await notifyQueue.add('notify', data, { jobId });
  };
  const set = startWorkers(
    { connection: redis, prefix },
    {
      scan: createScanProcessor({
        config,
        collector: new KubeSnapshotCollector(),
        listeners: [
          new AlertEngine({
            store,
            subscriptions: new RedisSubscriptions(redis, keys),
            enqueueNotify,
            clock: systemClock,
            logger,
          }),
        ],
        postures: new RedisPostureStore(redis, keys),
        waiters: new RedisUpdateWaiters(redis, keys),
        enqueueNotify,
        clock: systemClock,
        logger,
      }),
      notify: createNotifyProcessor(
        { slack: sender },
        new ChannelPacer(0),
        createAlertRefRecorder({ store, enqueueNotify, clock: systemClock, logger }),
      ),
    },
  );
  set.workers[0].on('completed', () => scansDone++);
  sets.push(set);
  // Both replicas sync at startup, as bot/main.ts does: still one scheduler.
  await syncScanSchedulers(scanQueue as Queue, config.clusters);
  return scanQueue;
}

beforeAll(async () => {
  fake = await FakeKubeApi.start();
  fake.writeKubeconfig(join(dir, 'kubeconfig'), ['store-2']);
  seedHealthy(fake, 'store-2');
});

afterAll(async () => {
  for (const s of sets) await s.close();
  for (const q of queues) await q.close();
  for (const c of conns) await c.quit();
  await fake.close();
});

it('two workers on one Redis post each alert and each resolution exactly once', async () => {
  const [a, b] = [await startReplica(), await startReplica()];
  expect((await a.getJobSchedulers()).map((s) => s.key)).toEqual(['scan:store-2']);
  fake.cluster('store-2').patchStatus(BSL, { phase: 'Unavailable', message: 'bucket not found' });
  // Command scans racing the scheduled ones, on both replicas.
  for (let i = 0; i < 4; i++) {
    await a.add('scan', { cluster: 'store-2', trigger: 'command' }, { jobId: `cmd-a-${i}` });
    await b.add('scan', { cluster: 'store-2', trigger: 'command' }, { jobId: `cmd-b-${i}` });
  }
  const cards = () => sender.posts.filter((p) => !p.to.thread && mentions(p.message, KEY));
  await waitFor('the alert card', () => cards().length > 0);
  const seen = scansDone;
  await waitFor('four more scans', () => scansDone >= seen + 4);
  await settled(queues[1]);
  expect(cards()).toHaveLength(1);

  fake
    .cluster('store-2')
    .patchStatus(BSL, { phase: 'Available', message: '', lastValidationTime: new Date().toISOString() });
  for (let i = 0; i < 3; i++) {
    await a.add('scan', { cluster: 'store-2', trigger: 'command' }, { jobId: `fix-a-${i}` });
    await b.add('scan', { cluster: 'store-2', trigger: 'command' }, { jobId: `fix-b-${i}` });
  }
  const replies = () => sender.posts.filter((p) => p.to.thread && mentions(p.message, KEY));
  await waitFor('the resolution', () => replies().length > 0);
  const after = scansDone;
  await waitFor('four more scans', () => scansDone >= after + 4);
  await settled(queues[1]);
  expect(replies().map((p) => p.to.thread)).toEqual([cards()[0].ref.id]);
  expect(
    sender.updates.filter((u) => u.ref.id === cards()[0].ref.id && u.message.title?.startsWith('Resolved')),
  ).toHaveLength(1);
  expect(cards()).toHaveLength(1);
});
