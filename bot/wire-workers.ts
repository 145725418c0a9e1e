/**
 * The queue workers (roles `worker` and `all`): scans with their enrichers and listeners, notify,
 * approval actions and drills, the Arc fleet refresh, the digest, and their job schedulers.
 */
import { type Queue, QueueEvents } from 'bullmq';
import { ResourceGraphArcFleetSource } from '../adapters/azure/arc-fleet-source.js';
import type { VegaChartRenderer } from '../adapters/charts/vega-renderer.js';
import { KeyVaultMetadataSource } from '../adapters/keyvault/key-vault-metadata-source.js';
import { KubeDrillActions } from '../adapters/kube/drill-actions.js';
import { KubeSnapshotCollector } from '../adapters/kube/snapshot-collector.js';
import { KubeVeleroActions } from '../adapters/kube/velero-actions.js';
import type { Keys } from '../adapters/store/keys.js';
import { RedisBackupTargets } from '../adapters/store/redis-backup-targets.js';
import { RedisChannelPacer } from '../adapters/store/redis-channel-pacer.js';
import type { RedisClient } from '../adapters/store/redis-client.js';
import { RedisKekFirstSeen } from '../adapters/store/redis-kek-first-seen.js';
import { RedisUpdateOrder } from '../adapters/store/redis-update-order.js';
import { createActionProcessor } from '../jobs/action-job.js';
import { AlertEngine } from '../jobs/alerts/alert-engine.js';
import { createAlertRefRecorder } from '../jobs/alerts/alert-ref-recorder.js';
import type { QueueActionRequests } from '../jobs/approvals/action-requests.js';
import { BackupTargetsEnricher } from '../jobs/backup-targets-enricher.js';
import {
  createDigestProcessor,
  type DigestRunner,
  startDigestWorker,
  syncDigestScheduler,
} from '../jobs/digest/digest-job.js';
import { DrillLeftoverRetrier, DrillRecordsEnricher } from '../jobs/drill/drill-enricher.js';
import { syncDrillSchedulers } from '../jobs/drill/drill-scheduler.js';
import { QueueCardPoster } from '../jobs/drill/queue-card-poster.js';
import { ArcFleetEnricher } from '../jobs/fleet/arc-fleet-enricher.js';
import type { ArcFleetSource } from '../jobs/fleet/arc-inventory.js';
import type { AzureOnlyClusters } from '../jobs/fleet/azure-only-directory.js';
import {
  awaitFirstRefresh,
  createFleetProcessor,
  type FleetJobData,
  type FleetResult,
  startFleetWorker,
  syncFleetScheduler,
} from '../jobs/fleet/fleet-job.js';
import { KekFirstSeenEnricher } from '../jobs/kek-first-seen-enricher.js';
import { KeyVaultEnricher, type SecretMetadataSource } from '../jobs/keyvault-enricher.js';
import { ScanMetricsListener } from '../jobs/metrics-listener.js';
import {
  type ChatSender,
  createNotifyProcessor,
  NOTIFY_QUEUE,
  type NotifyJobData,
} from '../jobs/notify-job.js';
import { type Queues, startWorkers, type WorkerSet } from '../jobs/queues.js';
import { createScanProcessor, SCAN_QUEUE } from '../jobs/scan-job.js';
import { syncScanSchedulers } from '../jobs/scan-scheduler.js';
import type { Platform } from './chat-port.js';
import type { Clock } from './clock.js';
import type { DpbotConfig } from './config.js';
import type { Logger } from './logger.js';
import { recordScan } from './metrics.js';
import type { RuntimeEnv } from './runtime-env.js';
import type { Stores } from './wire-stores.js';

export interface WorkerWiring {
  workers: WorkerSet;
  close(): Promise<void>;
}

export interface WireWorkersOptions {
  env: RuntimeEnv;
  config: DpbotConfig;
  redis: RedisClient;
  keys: Keys;
  queueOpts: { connection: RedisClient; prefix: string };
  queues: Queues;
  fleetQueue: Queue<FleetJobData, FleetResult>;
  stores: Stores;
  actions: QueueActionRequests;
  charts: VegaChartRenderer;
  senders: Partial<Record<Platform, ChatSender>>;
  clock: Clock;
  logger: Logger;
  /** Key Vault metadata. @defaultValue SecretClient + DefaultAzureCredential */
  secretMetadataSource?: SecretMetadataSource;
  /** The Arc fleet. @defaultValue Resource Graph + DefaultAzureCredential */
  arcFleetSource?: ArcFleetSource;
  /** Arc clusters known only from Azure (with `fleet.azure`): the digest counts them too. */
  azureOnly?: AzureOnlyClusters;
}

export async function wireWorkers(o: WireWorkersOptions): Promise<WorkerWiring> {
  const { config, redis, keys, queueOpts, queues, stores, clock, logger } = o;
  const { postures, waiters, alerts: alertStore, subscriptions, proposals, audit, arcFleet } = stores;
  const drillStore = stores.drills;
  const fleetAzure = config.fleet?.azure;
  const eventsRedis = redis.duplicate();
  // Scheduled drills wait for their card to be posted (to know its ref) through these events.
  const notifyEvents = new QueueEvents(NOTIFY_QUEUE, {
    connection: eventsRedis,
    prefix: config.redisPrefix,
  });
  const enqueueNotify = async (data: NotifyJobData, jobId: string) => {
    await queues.notify.add('notify', data, { jobId });
  };
  const alertEngine = new AlertEngine({ store: alertStore, subscriptions, enqueueNotify, clock, logger });
  const collector = new KubeSnapshotCollector({ logger });
  const fleetNames: ReadonlySet<string> = new Set(config.clusters.map((c) => c.name));
  // Key Vault: secret metadata only (listPropertiesOfSecrets), never values.
  const keyVaultEnricher = new KeyVaultEnricher(
    o.secretMetadataSource ??
      new KeyVaultMetadataSource({ verifyChallengeResource: config.keyVault.verifyChallengeResource }),
    { dnsSuffix: config.keyVault.dnsSuffix },
  );
  // DPBOT_SCAN_CONCURRENCY: scans in flight per worker process (memory grows with it; BENCHMARKS.md).
  const workerOpts = { ...queueOpts, scanConcurrency: o.env.DPBOT_SCAN_CONCURRENCY };
  const workers = startWorkers(workerOpts, {
    scan: createScanProcessor({
      config,
      collector,
      // KMS v2 key id hashes: first-seen times in Redis give kek-rotation the key's age.
      enrichers: [
        keyVaultEnricher,
        new KekFirstSeenEnricher(new RedisKekFirstSeen(redis, keys), logger),
        // Each cluster's Velero bucket+prefix in Redis: backup-location warns when two clusters share one.
        new BackupTargetsEnricher(new RedisBackupTargets(redis, keys), {
          fleet: () => fleetNames,
          logger,
        }),
        ...(fleetAzure ? [new ArcFleetEnricher(arcFleet, fleetAzure)] : []),
        new DrillRecordsEnricher(drillStore),
      ],
      postures,
      waiters,
      clock,
      logger,
      listeners: [
        alertEngine,
        new ScanMetricsListener(),
        new DrillLeftoverRetrier(drillStore, queues.action),
      ],
      enqueueNotify,
    }),
    notify: createNotifyProcessor(
      o.senders,
      new RedisChannelPacer(redis, keys),
      createAlertRefRecorder({ store: alertStore, enqueueNotify, clock, logger }),
      new RedisUpdateOrder(redis, keys),
    ),
    action: createActionProcessor({
      config,
      proposals,
      audit,
      velero: new KubeVeleroActions(),
      requests: o.actions,
      clock,
      logger,
      drills: new KubeDrillActions(),
      drillStore,
      cardPoster: new QueueCardPoster(config, subscriptions, queues.notify, notifyEvents),
    }),
  });
  if (fleetAzure) {
    const fleetWorker = startFleetWorker(
      queueOpts,
      createFleetProcessor({
        fleet: fleetAzure,
        clusters: config.clusters,
        source:
          o.arcFleetSource ??
          new ResourceGraphArcFleetSource({
            resourceManagerUrl: fleetAzure.resourceManagerUrl,
            subscriptions: fleetAzure.subscriptions,
            managementGroups: fleetAzure.managementGroups,
          }),
        store: arcFleet,
        postures,
        listeners: [alertEngine],
        clock,
        logger,
      }),
    );
    workers.workers.push(fleetWorker);
  }
  // Before the scans' schedulers: its first run starts now, so the first scans mostly find the fleet read.
  if (await syncFleetScheduler(o.fleetQueue, fleetAzure))
    if (!(await awaitFirstRefresh(arcFleet)))
      logger.warn(
        'the first Arc fleet refresh is taking long; scans report arc-connectivity unknown until it lands',
      );
  // One job scheduler per cluster; re-synced at every start (config changes take effect at restart).
  const synced = await syncScanSchedulers(queues.scan, config.clusters);
  logger.info({ clusters: synced.upserted.length, removed: synced.removed }, 'scan schedulers synced');
  // One job scheduler `digest` (cron + tz): one digest per tick whatever the number of replicas.
  const digestRunner: DigestRunner = startDigestWorker(
    queueOpts,
    createDigestProcessor({
      digest: config.digest,
      // The whole fleet: configured clusters and those known only from Azure (Arc findings).
      clusters: () => [
        ...config.clusters.map((c) => c.name),
        ...(o.azureOnly?.clusters() ?? []).map((c) => c.name),
      ],
      postures,
      store: stores.digests,
      renderer: o.charts,
      clock,
      logger,
      enqueueNotify,
    }),
  );
  if (await syncDigestScheduler(digestRunner.queue, config.digest))
    logger.info({ schedule: config.digest?.schedule, timezone: config.digest?.timezone }, 'digest scheduled');
  const drillSync = await syncDrillSchedulers(queues.action, config.clusters);
  if (drillSync.upserted.length || drillSync.removed.length)
    logger.info({ clusters: drillSync.upserted, removed: drillSync.removed }, 'drill schedulers synced');
  for (const w of workers.workers)
    w.on('failed', (job, err) => {
      // scan jobs carry the cluster; preflight jobs their request's; alert notifications their key's.
      const data = job?.data as
        | {
            cluster?: string;
            proposalId?: string;
            request?: { cluster?: string };
            alert?: { key?: string };
          }
        | undefined;
      const cluster = data?.cluster ?? data?.request?.cluster ?? data?.alert?.key?.split('/')[0];
      if (w.name === SCAN_QUEUE && data?.cluster) recordScan(data.cluster, 'error');
      logger.warn(
        { err, cluster, proposalId: data?.proposalId, jobId: job?.id, queue: w.name },
        'job failed',
      );
    });
  return {
    workers,
    async close() {
      await workers.close();
      await digestRunner.close();
      await notifyEvents.close();
      await eventsRedis.quit().catch(() => undefined);
    },
  };
}
