/**
 * Redis Cluster failover (DESIGN §5): the primary that owns dpbot's `{…}` slot is SIGKILLed mid-scan,
 * its replica takes over, and with the real BullMQ workers and the real stores: the alert opened
 * before is not posted again, its resolution is posted once, 20 approve clicks racing the failover
 * create exactly one Restore, and the scan job scheduler keeps firing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Job, Queue } from 'bullmq';
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
import * as b from '../fakes/kube-api/builders.js';
import { FakeKubeApi } from '../fakes/kube-api/fake-kube-api.js';
import {
  BSL,
  mentions,
  RecordingSender,
  seedHealthy,
  settled,
  waitFor,
} from '../integration/alert-harness.js';
import { approvalConfig, type Harness, startHarness, text } from '../integration/approval-harness.js';
import { newRedisClient, uniquePrefix } from '../support/redis.js';
import { type RedisClusterRig, replicaOf, startRedisCluster } from '../support/redis-cluster.js';

jest.setTimeout(120_000);

const KEY = 'store-2/backup-location/velero/default';
const BACKUP = 'nightly-20261125020000';
const dir = mkdtempSync(join(tmpdir(), 'dpbot-failover-'));
const prefix = uniquePrefix('failover');
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
let rig: RedisClusterRig;
let fake: FakeKubeApi;
let redis: RedisClient;
let set: WorkerSet;
let h: Harness;
const queues: Queue[] = [];
const scheduledScans: number[] = [];
let seedsBefore: string | undefined;
let workerErrors = 0;

beforeAll(async () => {
  rig = await startRedisCluster(join(dir, 'redis'));
  // This file's own cluster: the shared one must survive the kill. Jest gives each file its own process.env.
  seedsBefore = process.env.REDIS_CLUSTER_NODES;
  process.env.REDIS_CLUSTER_NODES = rig.seeds;
  fake = await FakeKubeApi.start();
  fake.writeKubeconfig(join(dir, 'kubeconfig'), ['store-2']);
  seedHealthy(fake, 'store-2');
});

/** Closes what it can within `ms` (a failed failover leaves clients waiting on a dead slot). */
const within = (ms: number, work: () => Promise<unknown>) =>
  Promise.race([work().catch(() => undefined), new Promise((r) => setTimeout(r, ms).unref())]);

afterAll(async () => {
  await within(20_000, async () => {
    await set?.close();
    for (const q of queues) await q.close();
    await redis?.quit();
    await h?.close();
  });
  await fake?.close();
  await rig?.stop();
  process.env.REDIS_CLUSTER_NODES = seedsBefore;
});

function startReplica(): Queue<ScanJobData> {
  redis = newRedisClient();
  const keys = new Keys(prefix);
  const scanQueue = new Queue<ScanJobData>('scan', { connection: redis, prefix });
  const notifyQueue = new Queue<NotifyJobData>('notify', { connection: redis, prefix });
  queues.push(scanQueue, notifyQueue);
  const store = new RedisAlertStore(redis, keys);
  const enqueueNotify = async (data: NotifyJobData, jobId: string) => {
    await notifyQueue.add('notify', data, { jobId });
  };
  set = startWorkers(
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
  // Lock renewals and fetches fail while the slot has no primary; BullMQ reports them as 'error'.
  for (const w of set.workers) w.on('error', () => workerErrors++);
  set.workers[0].on('completed', (job: Job) => {
    if ((job.data as ScanJobData).trigger === 'schedule') scheduledScans.push(Date.now());
  });
  return scanQueue;
}

it('a primary killed mid-scan: its replica takes over, nothing is lost or posted twice, scans go on', async () => {
  const primary = await rig.primaryFor(`${prefix}:x`);
  const replica = await replicaOf(primary);
  const scan = startReplica();
  await syncScanSchedulers(scan as Queue, config.clusters);

  // Before: an open alert (one card) and a restore proposal waiting for approval.
  fake.cluster('store-2').patchStatus(BSL, { phase: 'Unavailable', message: 'bucket not found' });
  const cards = () => sender.posts.filter((p) => !p.to.thread && mentions(p.message, KEY));
  await waitFor('the alert card', () => cards().length > 0, 30_000);
  const approvers = Array.from({ length: 20 }, (_, i) => `shell:a${i}`);
  // Its own queues (a shell chat), in the same hash slot: the same {tag}, so on the same primary.
  h = await startHarness(approvalConfig({ approvers: ['shell:alice', ...approvers] }), {
    prefix: `${prefix}-approvals`,
  });
  const c = h.fake.cluster('store-1');
  c.put(b.backupStorageLocation());
  c.put(b.backup(BACKUP, { schedule: 'nightly' }));
  const { reply, ref } = await h.command('alice', `restore store-1 --backup ${BACKUP}`);
  expect(reply.message.kind).toBe('approval');
  const card = await h.chat.waitForCard(ref.id, (m) => Boolean(m.buttons?.length));
  const value = card.buttons?.[0].value as Record<string, string>;

  // Kill the slot's primary while a scan is running; 20 approve clicks race the failover.
  await new Promise<void>((resolve) => set.workers[0].once('active', () => resolve()));
  const killedAt = Date.now();
  await rig.kill(primary);
  const clicks = Promise.all(
    approvers.map((a) => h.click(a.slice(6), 'approve', value, ref).catch((err: Error) => err)),
  );
  await rig.waitHealthy({ primary: replica, timeoutMs: 60_000 });
  const failoverMs = Date.now() - killedAt;
  const replies = await clicks;
  process.stderr.write(
    `failover: primary ${primary} killed, replica ${replica} serving after ${failoverMs} ms (${workerErrors} worker errors meanwhile)\n`,
  );

  // Approvals: exactly one click approved, the rest were told so; exactly one Restore was created.
  expect(replies.filter((r) => r instanceof Error)).toEqual([]);
  expect(replies.filter((r) => !(r instanceof Error) && !r.ephemeral)).toHaveLength(1);
  await h.chat.waitForCard(ref.id, (m) => text(m).includes('waiting for Velero'), 30_000);
  expect(c.list('restores', 'velero')).toHaveLength(1);
  expect(h.fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);

  // Scans resume: the job scheduler keeps firing after the failover.
  const after = Date.now();
  await waitFor(
    'three scheduled scans after the failover',
    () => scheduledScans.filter((t) => t > after).length >= 3,
    30_000,
  );

  // Alerts: still one card; fixing the location posts one resolution in its thread.
  fake
    .cluster('store-2')
    .patchStatus(BSL, { phase: 'Available', message: '', lastValidationTime: new Date().toISOString() });
  const resolutions = () => sender.posts.filter((p) => p.to.thread && mentions(p.message, KEY));
  await waitFor('the resolution', () => resolutions().length > 0, 30_000);
  const fixedAt = Date.now();
  await waitFor('more scheduled scans', () => scheduledScans.filter((t) => t > fixedAt).length >= 3, 30_000);
  await settled(queues[1]);
  expect(cards()).toHaveLength(1);
  expect(resolutions().map((p) => p.to.thread)).toEqual([cards()[0].ref.id]);
});
