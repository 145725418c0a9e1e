/**
 * Alert lifecycle end to end: fake Kubernetes API → real collector → scan processor → alert engine
 * → real BullMQ notify queue and the real notify processor → a recording chat sender. Fake clock.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { KubeSnapshotCollector } from '../../adapters/kube/snapshot-collector.js';
import { Keys } from '../../adapters/store/keys.js';
import { RedisAlertStore } from '../../adapters/store/redis-alert-state.js';
import { RedisSubscriptions } from '../../adapters/store/redis-subscriptions.js';
import type { ButtonClick, Reply } from '../../bot/chat-port.js';
import { buildConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import type { Router } from '../../bot/router.js';
import { AlertEngine } from '../../jobs/alerts/alert-engine.js';
import { createAlertRefRecorder } from '../../jobs/alerts/alert-ref-recorder.js';
import { ChannelPacer, createNotifyProcessor, type NotifyJobData } from '../../jobs/notify-job.js';
import { createScanProcessor, type ScanJobData, type ScanResult } from '../../jobs/scan-job.js';
import { FakeKubeApi } from '../fakes/kube-api/fake-kube-api.js';
import { newRedis, uniquePrefix } from '../support/redis.js';
import { type RouterRig, startRouterRig } from '../support/router-rig.js';
import { BSL, mentions, RecordingSender, seedHealthy, settled } from './alert-harness.js';

const KEY = 'store-1/backup-location/velero/default';
const MIN = 60_000;
let fake: FakeKubeApi;
let redis: Redis;
let notifyQueue: Queue<NotifyJobData>;
let worker: Worker | undefined;
let t = Date.now();
const clock = { now: () => new Date(t) };
const logger = createLogger('silent');
const sender = new RecordingSender();
const prefix = uniquePrefix('alerts');
const keys = new Keys(prefix);
const dir = mkdtempSync(join(tmpdir(), 'dpbot-alerts-'));
let scan: (job: Job<ScanJobData, ScanResult>) => Promise<ScanResult>;
let router: Router;
let rig: RouterRig | undefined;

const config = () =>
  buildConfig(
    {
      clusters: [
        {
          name: 'store-1',
          kubeconfig: join(dir, 'kubeconfig'),
          context: 'store-1',
          alerts: { openAfter: 2, renotifyAfter: '4h', slack: ['C1'], teams: ['19:abc@thread.tacv2'] },
          access: { viewers: ['*'], operators: ['slack:T1/OPS'] },
        },
      ],
    },
    'test',
  );

/** (Re)builds every in-process object, as a restarted worker would: only Redis persists. */
async function start(): Promise<void> {
  await worker?.close();
  await rig?.close();
  const cfg = config();
  rig = startRouterRig({
    redis,
    prefix,
    config: cfg,
    clock,
    logger,
    replace: { scans: { request: async () => undefined } },
  });
  ({ router } = rig);
  const { alerts: store, subscriptions, postures, waiters } = rig.stores;
  const enqueueNotify = async (data: NotifyJobData, jobId: string) => {
    await notifyQueue.add('notify', data, { jobId });
  };
  const recorder = createAlertRefRecorder({ store, enqueueNotify, clock, logger });
  worker = new Worker(
    'notify',
    createNotifyProcessor({ slack: sender, teams: sender }, new ChannelPacer(0), recorder),
    {
      connection: redis,
      prefix,
    },
  );
  const engine = new AlertEngine({ store, subscriptions, enqueueNotify, clock, logger });
  scan = createScanProcessor({
    config: cfg,
    collector: new KubeSnapshotCollector(),
    listeners: [engine],
    postures,
    waiters,
    enqueueNotify,
    clock,
    logger,
  });
}

let scans = 0;
async function scanOnce(): Promise<void> {
  await scan({ id: `s${++scans}`, data: { cluster: 'store-1', trigger: 'schedule' } } as Job<
    ScanJobData,
    ScanResult
  >);
  await settled(notifyQueue);
}

const cards = () => sender.posts.filter((p) => !p.to.thread && mentions(p.message, KEY));
const threadReplies = () => sender.posts.filter((p) => p.to.thread && mentions(p.message, KEY));
const edits = () => {
  const ids = new Set(cards().map((c) => c.ref.id));
  return sender.updates.filter((u) => ids.has(u.ref.id));
};
/** `/dp alerts` rows about KEY (other checks, e.g. Key Vault ones without a vault, may be unverifiable). */
const rowsAboutKey = (r: Reply) => {
  const table = r.message.sections[0];
  return table.type === 'table' ? table.rows.filter((row) => row[1] === 'backup-location') : [];
};
const ask = (text: string, user = 'slack:T1/OPS'): Promise<Reply> =>
  router.handle({
    platform: 'slack',
    user: { id: user, groups: [] },
    conversation: { platform: 'slack', channel: 'C9' },
    text,
  });

beforeAll(async () => {
  fake = await FakeKubeApi.start();
  fake.writeKubeconfig(join(dir, 'kubeconfig'), ['store-1']);
  seedHealthy(fake, 'store-1');
  redis = newRedis();
  notifyQueue = new Queue('notify', { connection: redis, prefix });
  await start();
});

afterAll(async () => {
  await worker?.close();
  await rig?.close();
  await notifyQueue.close();
  await redis.quit();
  await fake.close();
});

describe('alert lifecycle (DESIGN §8)', () => {
  it('a healthy cluster sends nothing', async () => {
    await scanOnce();
    await scanOnce();
    expect(sender.posts).toEqual([]);
  });

  it('a lapse opens exactly one alert, after openAfter failing scans, on Slack and Teams', async () => {
    fake.cluster('store-1').patchStatus(BSL, { phase: 'Unavailable', message: 'bucket not found' });
    await scanOnce();
    expect(cards()).toHaveLength(0);
    await scanOnce();
    expect(
      cards()
        .map((p) => `${p.to.platform}:${p.to.channel}`)
        .sort(),
    ).toEqual(['slack:C1', 'teams:19:abc@thread.tacv2']);
    const card = cards()[0].message;
    expect(card.kind).toBe('alert');
    expect(card.title).toBe('store-1: backup-location BackupLocationUnavailable');
    expect(card.buttons?.map((b) => [b.verb, b.label, JSON.stringify(b.value)])).toEqual([
      ['snooze', 'Snooze 4h', JSON.stringify({ key: KEY, for: '4h' })],
      ['snooze', 'Snooze 1d', JSON.stringify({ key: KEY, for: '1d' })],
      ['status', 'Show status', JSON.stringify({ cluster: 'store-1' })],
      ['backup', 'Back up now', JSON.stringify({ cluster: 'store-1' })],
    ]);
    await scanOnce();
    expect(cards()).toHaveLength(2);
  });

  it('a restart in the middle sends no duplicate', async () => {
    await start();
    await scanOnce();
    await scanOnce();
    expect(cards()).toHaveLength(2);
    const state = (await new RedisAlertStore(redis, keys).read('store-1')).states.get(KEY);
    expect(Object.keys(state?.refs ?? {}).sort()).toEqual(['slack:C1', 'teams:19:abc@thread.tacv2']);
  });

  it('edits the same messages when the details change', async () => {
    fake.cluster('store-1').patchStatus(BSL, { message: 'credentials rejected' });
    await scanOnce();
    const edits = sender.updates.filter((u) => mentions(u.message, 'credentials rejected'));
    expect(edits.map((e) => e.ref.id).sort()).toEqual(
      cards()
        .map((c) => c.ref.id)
        .sort(),
    );
    expect(cards()).toHaveLength(2);
  });

  it('re-notifies in the thread after renotifyAfter, once', async () => {
    t += 3 * 60 * MIN;
    await scanOnce();
    expect(threadReplies()).toHaveLength(0);
    t += 61 * MIN;
    await scanOnce();
    await scanOnce();
    expect(
      threadReplies()
        .map((p) => p.to.thread)
        .sort(),
    ).toEqual(
      cards()
        .map((c) => c.ref.id)
        .sort(),
    );
    expect(threadReplies()[0].message.summary).toMatch(/^Still failing after 4h1m/);
  });

  it('/dp alerts lists the open alert; snooze clicks are re-authorized', async () => {
    const list = await ask('alerts store-1', 'slack:T1/ANYONE');
    expect(list.message.title).toMatch(/^\d+ open alerts?: store-1$/);
    expect(rowsAboutKey(list)).toEqual([
      [
        'store-1',
        'backup-location',
        'velero/default',
        'BackupLocationUnavailable',
        expect.any(String),
        'open',
      ],
    ]);
    const click = (user: string): ButtonClick => ({
      platform: 'slack',
      user: { id: user, groups: [] },
      conversation: { platform: 'slack', channel: 'C1' },
      message: cards()[0].ref,
      verb: 'snooze',
      value: { key: KEY, for: '4h' },
    });
    const denied = await router.handleClick(click('slack:T1/ANYONE'));
    expect(denied.message.kind).toBe('error');
    expect(denied.message.summary).toMatch(/not an operator of store-1/);
    const ok = await router.handleClick(click('slack:T1/OPS'));
    expect(ok.replaceOriginal).toBe(true);
    expect(mentions(ok.message, 'snoozed until')).toBe(true);
    expect(rowsAboutKey(await ask('alerts store-1', 'slack:T1/ANYONE'))[0][5]).toMatch(/^snoozed until/);
  });

  it('a snoozed alert stays quiet, and resolving while snoozed closes it quietly', async () => {
    const before = { cards: cards().length, replies: threadReplies().length, edits: edits().length };
    fake.cluster('store-1').patchStatus(BSL, { message: 'another detail' });
    t += 60 * MIN; // inside the 4h snooze
    await scanOnce();
    expect([cards().length, threadReplies().length, edits().length]).toEqual([
      before.cards,
      before.replies,
      before.edits,
    ]);
    fake
      .cluster('store-1')
      .patchStatus(BSL, { phase: 'Available', message: '', lastValidationTime: clock.now().toISOString() });
    await scanOnce();
    expect(threadReplies().length).toBe(before.replies);
    const resolved = edits()
      .slice(before.edits)
      .filter((u) => u.message.title?.startsWith('Resolved'));
    expect(resolved.map((u) => u.ref.id).sort()).toEqual(
      cards()
        .map((c) => c.ref.id)
        .sort(),
    );
    expect(rowsAboutKey(await ask('alerts store-1'))).toEqual([]);
  });

  it('/dp subscribe routes alerts to the channel it was typed in (operators only)', async () => {
    const denied = await ask('subscribe store-1', 'slack:T1/ANYONE');
    expect(denied.message.kind).toBe('error');
    expect((await ask('subscribe all')).message.summary).toMatch(/now receives alerts of store-1/);
    expect((await ask('unsubscribe store-1', 'slack:T1/OPS')).message.summary).toMatch(/no longer receives/);
    expect((await ask('subscribe store-1')).message.summary).toMatch(/now receives alerts of store-1/);
    expect(await new RedisSubscriptions(redis, keys).list('store-1')).toEqual([
      { platform: 'slack', channel: 'C9' },
    ]);
  });

  it('a new lapse opens a new alert; fixing it resolves that same alert (edit + thread reply)', async () => {
    const oldCards = cards().length;
    const oldReplies = threadReplies().length;
    fake.cluster('store-1').patchStatus(BSL, { phase: 'Unavailable', message: 'bucket gone' });
    await scanOnce();
    await scanOnce();
    const fresh = cards().slice(oldCards);
    expect(fresh.map((p) => p.to.channel).sort()).toEqual(['19:abc@thread.tacv2', 'C1', 'C9']);
    fake
      .cluster('store-1')
      .patchStatus(BSL, { phase: 'Available', message: '', lastValidationTime: clock.now().toISOString() });
    await scanOnce();
    const ids = fresh.map((c) => c.ref.id).sort();
    const edits = sender.updates.filter(
      (u) => ids.includes(u.ref.id) && u.message.title?.startsWith('Resolved'),
    );
    expect(edits.map((u) => u.ref.id).sort()).toEqual(ids);
    const replies = threadReplies().slice(oldReplies);
    expect(replies.map((p) => p.to.thread).sort()).toEqual(ids);
    expect(replies[0].message.summary).toMatch(
      /^Resolved: store-1\/backup-location\/velero\/default is ok again after /,
    );
    await scanOnce();
    expect(cards().length).toBe(oldCards + 3);
  });
});
