/**
 * The scheduled digest on real BullMQ and Redis: a job scheduler with a cron pattern and time zone, two
 * replicas' workers, one digest per tick and target; the notify worker delivers it to the fake Slack
 * through real Bolt (the PNG travels as job data); the next digest says what changed.
 */
import { Queue, QueueEvents, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { PNG } from 'pngjs';
import { VegaChartRenderer } from '../../adapters/charts/vega-renderer.js';
import { buildConfig } from '../../bot/config.js';
import type { DigestConfig } from '../../bot/digest-config.js';
import { createLogger } from '../../bot/logger.js';
import {
  createDigestProcessor,
  DIGEST_SCHEDULER_ID,
  type DigestRunner,
  digestNoticeId,
  startDigestWorker,
  syncDigestScheduler,
} from '../../jobs/digest/digest-job.js';
import {
  ChannelPacer,
  createNotifyProcessor,
  NOTIFY_QUEUE,
  type NotifyJobData,
} from '../../jobs/notify-job.js';
import { newRedis } from '../support/redis.js';
import { type ChartHarness, startChartHarness } from './chart-harness.js';
import { type SlackRig, startSlackRig } from './slack-rig.js';

let redis: Redis;
let h: ChartHarness;
let rig: SlackRig;
const runners: DigestRunner[] = [];
let notifyQueue: Queue<NotifyJobData>;
let notifyWorker: Worker<NotifyJobData>;

// Every second (BullMQ's cron takes a seconds field), so the test sees several ticks quickly.
const digest: DigestConfig = {
  schedule: '*/1 * * * * *',
  timezone: 'Europe/Berlin',
  slack: ['C0DIGEST'],
  teams: [],
};

beforeAll(async () => {
  redis = newRedis();
  h = await startChartHarness(redis, 8);
  rig = await startSlackRig('s');
  const connection = { connection: redis, prefix: h.prefix };
  notifyQueue = new Queue<NotifyJobData>(NOTIFY_QUEUE, connection);
  notifyWorker = new Worker(
    NOTIFY_QUEUE,
    createNotifyProcessor({ slack: rig.adapter }, new ChannelPacer(0)),
    connection,
  );
});
afterAll(async () => {
  for (const r of runners) await r.close();
  await notifyWorker.close();
  await notifyQueue.close();
  await rig.stop();
  await redis.quit();
});

function replica(): DigestRunner {
  const runner = startDigestWorker(
    { connection: redis, prefix: h.prefix },
    createDigestProcessor({
      digest,
      clusters: () => h.config.clusters.map((c) => c.name),
      postures: h.postures,
      store: h.digests,
      renderer: new VegaChartRenderer(),
      clock: { now: () => new Date() },
      logger: createLogger('silent'),
      enqueueNotify: async (data, jobId) => {
        await notifyQueue.add('notify', data, { jobId });
      },
    }),
  );
  runners.push(runner);
  return runner;
}

it('two replicas, one digest per tick; delivered as an upload; the second digest reports changes', async () => {
  const a = replica();
  const b = replica();
  // Both replicas sync at startup, as bot/main.ts does: still one scheduler.
  expect(await syncDigestScheduler(a.queue, digest)).toBe(true);
  expect(await syncDigestScheduler(b.queue, digest)).toBe(true);
  const schedulers = await a.queue.getJobSchedulers();
  expect(schedulers).toHaveLength(1);
  expect(schedulers[0]).toMatchObject({
    key: DIGEST_SCHEDULER_ID,
    pattern: digest.schedule,
    tz: 'Europe/Berlin',
  });

  const events = new QueueEvents('digest', { connection: redis, prefix: h.prefix });
  await events.waitUntilReady();
  const ticks: string[] = [];
  const twoTicks = new Promise<void>((resolve) =>
    events.on('completed', ({ jobId }) => {
      ticks.push(jobId);
      if (ticks.length === 2) resolve();
    }),
  );
  // Between the ticks a cluster gets worse, so the second digest has a change to report.
  const first = await rig.fake.waitFor('files.completeUploadExternal');
  const name = h.config.clusters.at(-1)!.name;
  const p = (await h.postures.get(name))!;
  await h.postures.put({
    ...p,
    status: 'fail',
    findings: [...p.findings, { ...p.findings[0], status: 'fail', resource: 'ns/new' }],
  });
  await twoTicks;
  await syncDigestScheduler(a.queue, undefined);
  await events.close();
  expect(await a.queue.getJobSchedulers()).toHaveLength(0);

  // One job per tick whatever the number of workers, and one notify job per tick and target.
  expect(new Set(ticks).size).toBe(ticks.length);
  const notifyIds = (await notifyQueue.getJobs(['completed', 'waiting', 'active', 'delayed'])).map(
    (j) => j.id,
  );
  const to = { platform: 'slack' as const, channel: 'C0DIGEST' };
  for (const t of ticks) expect(notifyIds.filter((id) => id === digestNoticeId(t, to))).toHaveLength(1);

  expect(first.body.channel_id).toBe('C0DIGEST');
  const upload = rig.fake.callsOf('upload')[0];
  expect(PNG.sync.read(upload.bytes!).width).toBeLessThanOrEqual(1000);
  const second = await rig.fake.waitFor('files.completeUploadExternal', (c) =>
    JSON.stringify(c.body.blocks).includes(`worse: ${name}`),
  );
  expect(JSON.stringify(second.body.blocks)).toMatch(/Since the last digest \(\d+(ms|s)? ago\)/);
  expect((await h.digests.last())?.clusters[name]).toBe('fail');
});

it('the config accepts digest: with a 5-field cron and an IANA zone, and says what is wrong otherwise', () => {
  const ok = buildConfig(
    { digest: { schedule: '0 8 * * 1-5', timezone: 'Europe/Berlin', slack: ['C1'] } },
    't',
  );
  expect(ok.digest).toEqual({ schedule: '0 8 * * 1-5', timezone: 'Europe/Berlin', slack: ['C1'], teams: [] });
  expect(buildConfig({ digest: { schedule: '0 8 * * *' } }, 't').digest?.timezone).toBe('UTC');
  expect(() => buildConfig({ digest: { schedule: 'every day', timezone: 'Mars/Olympus' } }, 't')).toThrow(
    /digest\.schedule: must be a 5-field cron expression[\s\S]*digest\.timezone: must be an IANA time zone/,
  );
});
