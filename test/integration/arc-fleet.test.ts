/**
 * The Arc fleet end to end (DESIGN §12): fake Entra → real ClientSecretCredential → fake Resource
 * Graph → the fleet job on a real BullMQ job scheduler and Redis → the scan job joins it into a
 * configured cluster (real collector, fake Kubernetes API) → alerts for an Azure-only cluster through
 * the real notify queue → `/dp clusters` and `/dp status` through the real router.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { ResourceGraphArcFleetSource } from '../../adapters/azure/arc-fleet-source.js';
import { KubeSnapshotCollector } from '../../adapters/kube/snapshot-collector.js';
import { Keys } from '../../adapters/store/keys.js';
import { RedisAlertStore } from '../../adapters/store/redis-alert-state.js';
import { RedisArcFleetStore } from '../../adapters/store/redis-arc-fleet.js';
import type { Reply } from '../../bot/chat-port.js';
import { buildConfig, type DpbotConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import type { Router } from '../../bot/router.js';
import { AlertEngine } from '../../jobs/alerts/alert-engine.js';
import { createAlertRefRecorder } from '../../jobs/alerts/alert-ref-recorder.js';
import { ArcFleetEnricher } from '../../jobs/fleet/arc-fleet-enricher.js';
import { AzureOnlyDirectory } from '../../jobs/fleet/azure-only-directory.js';
import {
  createFleetProcessor,
  createFleetQueue,
  FLEET_SCHEDULER,
  startFleetWorker,
  syncFleetScheduler,
} from '../../jobs/fleet/fleet-job.js';
import { ChannelPacer, createNotifyProcessor, type NotifyJobData } from '../../jobs/notify-job.js';
import { createScanProcessor, type ScanJobData, type ScanResult } from '../../jobs/scan-job.js';
import { addArcCluster } from '../fakes/azure-resource-graph/arc-resources.js';
import { FakeResourceGraph } from '../fakes/azure-resource-graph/fake-resource-graph.js';
import { FakeEntra } from '../fakes/entra/fake-entra.js';
import { FakeKubeApi } from '../fakes/kube-api/fake-kube-api.js';
import { newRedis, uniquePrefix } from '../support/redis.js';
import { type RouterRig, startRouterRig } from '../support/router-rig.js';
import { mentions, RecordingSender, seedHealthy, settled, waitFor } from './alert-harness.js';

const SUB = '11111111-1111-1111-1111-111111111111';
const HIDDEN = '22222222-2222-2222-2222-222222222222';
const MIN = 60_000;
let t = Date.now();
const clock = { now: () => new Date(t) };
const logger = createLogger('silent');
const dir = mkdtempSync(join(tmpdir(), 'dpbot-arc-'));
let entra: FakeEntra;
let arg: FakeResourceGraph;
let kube: FakeKubeApi;
let redis: Redis;
let prefix: string;
let keys: Keys;
const rigs: RouterRig[] = [];
let config: DpbotConfig;
let notifyQueue: Queue<NotifyJobData>;
let notifyWorker: Worker;
const sender = new RecordingSender();

function source() {
  return new ResourceGraphArcFleetSource({
    resourceManagerUrl: arg.url,
    subscriptions: [SUB, HIDDEN],
    managementGroups: [],
    credential: new ClientSecretCredential(entra.tenantId, entra.clientId, entra.clientSecret, {
      authorityHost: entra.url,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: entra.caCert },
    } as ConstructorParameters<typeof ClientSecretCredential>[3]),
    pipelineOptions: { tlsOptions: { ca: arg.caCert } },
    maxThrottleRetries: 0,
  });
}

function parts() {
  const enqueueNotify = async (data: NotifyJobData, jobId: string) => {
    await notifyQueue.add('notify', data, { jobId });
  };
  const fleet = config.fleet?.azure;
  if (!fleet) throw new Error('fleet.azure missing');
  const azureOnly = new AzureOnlyDirectory(new RedisArcFleetStore(redis, keys), fleet, config.clusters);
  const rig = startRouterRig({
    redis,
    prefix,
    config,
    clock,
    logger,
    replace: { scans: { request: async () => undefined }, azureOnly },
  });
  rigs.push(rig);
  const { router } = rig;
  const { alerts: alertStore, subscriptions, arcFleet: store, postures, waiters } = rig.stores;
  const engine = new AlertEngine({ store: alertStore, subscriptions, enqueueNotify, clock, logger });
  const refresh = createFleetProcessor({
    fleet,
    clusters: config.clusters,
    source: source(),
    store,
    postures,
    listeners: [engine],
    clock,
    logger,
  });
  const scan = createScanProcessor({
    config,
    collector: new KubeSnapshotCollector(),
    enrichers: [new ArcFleetEnricher(store, fleet)],
    postures,
    waiters,
    enqueueNotify,
    clock,
    logger,
  });
  return { refresh, scan, router, store, postures, subscriptions, alertStore, enqueueNotify, azureOnly };
}

const ask = (router: Router, text: string): Promise<Reply> =>
  router.handle({
    platform: 'slack',
    user: { id: 'slack:T1/U1', groups: [] },
    conversation: { platform: 'slack', channel: 'C9' },
    text,
  });
const scanJob = (cluster: string) =>
  ({ id: `scan-${cluster}-${t}`, data: { cluster, trigger: 'schedule' } }) as Job<ScanJobData, ScanResult>;

beforeAll(async () => {
  entra = await FakeEntra.start();
  arg = await FakeResourceGraph.start({ acceptToken: (tok) => entra.isIssued(tok) });
  kube = await FakeKubeApi.start();
  kube.writeKubeconfig(join(dir, 'kubeconfig'), ['store-041']);
  seedHealthy(kube, 'store-041');
  redis = newRedis();
});
afterAll(async () => {
  await redis.quit();
  await kube.close();
  await arg.close();
  await entra.close();
});

beforeEach(async () => {
  prefix = uniquePrefix('arc');
  keys = new Keys(prefix);
  arg.clear();
  arg.faults.length = 0;
  arg.requests.length = 0;
  arg.addSubscription(SUB).addSubscription(HIDDEN);
  arg.forbidden.add(HIDDEN);
  // Azure names: `Store-041` joins the configured store-041 by its normalised name; Store_044 is Azure only.
  addArcCluster(arg, {
    subscriptionId: SUB,
    name: 'Store-041',
    connectivityStatus: 'Offline',
    lastConnectivityTime: new Date(t - 90 * MIN).toISOString(),
  });
  addArcCluster(arg, {
    subscriptionId: SUB,
    name: 'Store_044',
    connectivityStatus: 'Offline',
    lastConnectivityTime: new Date(t - 2 * 1440 * MIN).toISOString(),
  });
  addArcCluster(arg, { subscriptionId: SUB, name: 'store-045' }, { sse: 'Failed' });
  addArcCluster(arg, { subscriptionId: HIDDEN, name: 'store-099' });
  config = buildConfig(
    {
      defaults: { alerts: { openAfter: 2 }, secretSync: { required: false } },
      clusters: [
        {
          name: 'store-041',
          kubeconfig: join(dir, 'kubeconfig'),
          context: 'store-041',
          access: { viewers: ['*'], operators: ['slack:T1/OPS'] },
        },
      ],
      fleet: { azure: { subscriptions: [SUB, HIDDEN], refreshInterval: '15m', resourceManagerUrl: arg.url } },
    },
    'test',
  );
  notifyQueue = new Queue('notify', { connection: redis, prefix });
  const recorder = createAlertRefRecorder({
    store: new RedisAlertStore(redis, keys),
    enqueueNotify: async (d, id) => void (await notifyQueue.add('notify', d, { jobId: id })),
    clock,
    logger,
  });
  notifyWorker = new Worker(
    'notify',
    createNotifyProcessor({ slack: sender }, new ChannelPacer(0), recorder),
    { connection: redis, prefix },
  );
  sender.posts.length = 0;
  sender.updates.length = 0;
});
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
  await notifyWorker.close();
  await notifyQueue.close();
});

describe('Arc fleet from Azure Resource Graph', () => {
  it('two replicas on one job scheduler run one query set per refreshInterval', async () => {
    const { refresh, store } = parts();
    const queue = createFleetQueue({ connection: redis, prefix });
    const workers = [
      startFleetWorker({ connection: redis, prefix }, refresh),
      startFleetWorker({ connection: redis, prefix }, refresh),
    ];
    try {
      expect(await syncFleetScheduler(queue, config.fleet?.azure)).toBe(true);
      expect(await syncFleetScheduler(queue, config.fleet?.azure)).toBe(true);
      await waitFor('the first refresh', async () => Boolean(await store.getMeta()));
      await waitFor(
        'the job to complete',
        async () => (await queue.getJobCounts('completed')).completed === 1,
      );
      expect((await queue.getJobSchedulers()).map((s) => [s.key, s.every])).toEqual([
        [FLEET_SCHEDULER, 15 * MIN],
      ]);
      expect(arg.requests.map((r) => `${r.table}:${r.status}`)).toEqual([
        'resourcecontainers:200',
        'resources:200',
        'kubernetesconfigurationresources:200',
      ]);
      expect(await syncFleetScheduler(queue, undefined)).toBe(false);
      expect(await queue.getJobSchedulers()).toEqual([]);
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await queue.close();
    }
  });

  it('joins the stored fleet into the scan of a configured cluster by its normalised Azure name', async () => {
    const { refresh, scan, postures } = parts();
    await refresh();
    await scan(scanJob('store-041'));
    const p = await postures.get('store-041');
    const arc = p?.findings.filter((f) => f.check === 'arc-connectivity');
    expect(arc?.map((f) => [f.status, f.reason])).toEqual([['fail', 'ArcDisconnected']]);
    expect(arc?.[0].message).toContain('Offline since');
  });

  it('joins by azure.resourceId when the names differ', async () => {
    const id = `/subscriptions/${SUB}/resourceGroups/rg-edge/providers/Microsoft.Kubernetes/connectedClusters/store-045`;
    config = buildConfig(
      {
        clusters: [
          {
            name: 'store-041',
            kubeconfig: join(dir, 'kubeconfig'),
            context: 'store-041',
            azure: { resourceId: id },
          },
        ],
        fleet: { azure: { subscriptions: [SUB], resourceManagerUrl: arg.url } },
      },
      'test',
    );
    const { refresh, scan, postures, store } = parts();
    await refresh();
    await scan(scanJob('store-041'));
    const arc = (await postures.get('store-041'))?.findings.filter((f) => f.check === 'arc-connectivity');
    expect(arc?.map((f) => f.reason)).toEqual(['ArcConnected', 'SecretStoreExtensionFailed']);
    // The Arc cluster Store-041 is joined to nothing now: listed Azure only under a name of its own.
    const only = (await store.getMeta())?.azureOnly ?? [];
    expect(only).toEqual([expect.stringMatching(/^store-041-[0-9a-f]{6}$/), 'store-044']);
  });

  it('an Azure-only Offline cluster alerts after openAfter refreshes and resolves in place', async () => {
    const { refresh, subscriptions, router, azureOnly, alertStore } = parts();
    await subscriptions.add('store-044', { platform: 'slack', channel: 'C-OPS' });
    await refresh();
    await settled(notifyQueue);
    expect(sender.posts).toEqual([]);
    t += 15 * MIN;
    await refresh();
    await settled(notifyQueue);
    const cards = sender.posts.filter((p) => mentions(p.message, 'store-044/arc-connectivity'));
    expect(cards).toHaveLength(1);
    expect(cards[0].to.channel).toBe('C-OPS');
    expect(mentions(cards[0].message, 'ArcDisconnected')).toBe(true);
    await azureOnly.refresh();
    const listed = await ask(router, '/dp alerts');
    expect(mentions(listed.message, 'store-044')).toBe(true);
    // The card's Snooze button works for an Azure-only cluster (operators of configured clusters may snooze).
    const snooze = cards[0].message.buttons?.find((b) => b.verb === 'snooze');
    if (!snooze) throw new Error('no snooze button');
    const clicked = await router.handleClick({
      platform: 'slack',
      user: { id: 'slack:T1/OPS', groups: [] },
      conversation: { platform: 'slack', channel: 'C-OPS' },
      verb: 'snooze',
      value: snooze.value,
      message: cards[0].ref,
    });
    expect(mentions(clicked.message, 'snoozed until')).toBe(true);
    const state = [...(await alertStore.read('store-044')).states.values()][0];
    expect(state.snoozedUntil).toBeDefined();
    arg.clear();
    addArcCluster(arg, {
      subscriptionId: SUB,
      name: 'Store_044',
      lastConnectivityTime: new Date(t).toISOString(),
    });
    t += 15 * MIN;
    await refresh();
    await settled(notifyQueue);
    const edit = sender.updates.filter((u) => u.ref.id === cards[0].ref.id);
    expect(edit.length).toBeGreaterThan(0);
    expect(mentions(edit[edit.length - 1].message, 'Resolved')).toBe(true);
  });

  it('/dp clusters lists Azure-only clusters, connectivity, last contact and the unreadable subscription; /dp status shows Arc findings', async () => {
    const { refresh, scan, router, azureOnly } = parts();
    await refresh();
    await azureOnly.refresh();
    await scan(scanJob('store-041'));
    const fleet = await ask(router, '/dp clusters');
    const table = fleet.message.sections[0];
    if (table.type !== 'table') throw new Error('no table');
    expect(table.columns).toEqual(['cluster', 'status', 'findings', 'last scan', 'arc', 'last contact']);
    expect(table.rows.map((r) => [r[0], r[3], r[4]])).toEqual([
      ['store-041', '0s ago', 'Offline'],
      ['store-044', 'Azure only', 'Offline'],
      ['store-045', 'Azure only', 'Connected'],
    ]);
    expect(table.rows[1][5]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z \(2d ago\)$/);
    expect(mentions(fleet.message, HIDDEN)).toBe(true);
    expect(mentions(fleet.message, 'store-099')).toBe(false);
    const status = await ask(router, '/dp status store-045');
    expect(status.message.title).toBe('store-045: fail');
    expect(mentions(status.message, 'SecretStoreExtensionMissing')).toBe(false);
    expect(mentions(status.message, 'SecretStoreExtensionFailed')).toBe(true);
    const bad = await ask(router, '/dp status Store_044');
    expect(bad.message.kind).toBe('error');
    const all = await ask(router, '/dp status all');
    expect(all.message.title).toBe('3 clusters: fail');
    // The fleet picture and the digest count the Azure-only clusters too.
    const chart = await ask(router, '/dp chart all');
    expect(chart.message.image?.alt).toMatch(/^Heatmap of 3 clusters by \d+ checks: fail 3 /);
    const digest = await ask(router, '/dp digest');
    expect(mentions(digest.message, 'store-044')).toBe(true);
  });

  it('ARG down: Azure-only and configured clusters are unknown, never ok, and /dp clusters says why', async () => {
    const { refresh, scan, router, postures } = parts();
    await refresh();
    arg.fail({ status: 500, times: 10 });
    t += 15 * MIN;
    const r = await refresh();
    expect(r.ok).toBe(false);
    await scan(scanJob('store-041'));
    for (const c of ['store-041', 'store-044', 'store-045']) {
      const arc = (await postures.get(c))?.findings.filter((f) => f.check === 'arc-connectivity');
      expect(arc?.map((f) => [f.status, f.reason])).toEqual([['unknown', 'ApiError']]);
    }
    const fleet = await ask(router, '/dp clusters');
    expect(mentions(fleet.message, 'Azure Resource Graph could not be read')).toBe(true);
    expect(mentions(fleet.message, 'store-044')).toBe(true);
  });
});
