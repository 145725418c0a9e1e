/** The only composition root: wires config, Redis, queues, workers, chat adapters and HTTP. */
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { ResourceGraphArcFleetSource } from '../adapters/azure/arc-fleet-source.js';
import { VegaChartRenderer } from '../adapters/charts/vega-renderer.js';
import { ShellAdapter, shellUser } from '../adapters/chat/shell/shell-adapter.js';
import { RedisDeduper } from '../adapters/chat/slack/redis-deduper.js';
import { SlackAdapter } from '../adapters/chat/slack/slack-adapter.js';
import { TeamsAdapter } from '../adapters/chat/teams/teams-adapter.js';
import { HttpServer } from '../adapters/http/http-server.js';
import { KeyVaultMetadataSource } from '../adapters/keyvault/key-vault-metadata-source.js';
import { KubeDrillActions } from '../adapters/kube/drill-actions.js';
import { listKubeconfigContexts } from '../adapters/kube/kubeconfig-contexts.js';
import { KubeSnapshotCollector } from '../adapters/kube/snapshot-collector.js';
import { KubeVeleroActions } from '../adapters/kube/velero-actions.js';
import { ConversationRefStore } from '../adapters/store/conversation-refs.js';
import { Keys } from '../adapters/store/keys.js';
import { RedisAlertStore } from '../adapters/store/redis-alert-state.js';
import { RedisArcFleetStore } from '../adapters/store/redis-arc-fleet.js';
import { RedisAuditLog } from '../adapters/store/redis-audit.js';
import { RedisBackupTargets } from '../adapters/store/redis-backup-targets.js';
import { RedisChannelPacer } from '../adapters/store/redis-channel-pacer.js';
import { connectRedis } from '../adapters/store/redis-connection.js';
import { RedisDigestStore } from '../adapters/store/redis-digest-store.js';
import { RedisDrillStore } from '../adapters/store/redis-drills.js';
import { RedisKekFirstSeen } from '../adapters/store/redis-kek-first-seen.js';
import { RedisPostureStore } from '../adapters/store/redis-posture-store.js';
import { RedisProposalStore } from '../adapters/store/redis-proposals.js';
import { RedisSubscriptions } from '../adapters/store/redis-subscriptions.js';
import { RedisUpdateOrder } from '../adapters/store/redis-update-order.js';
import { RedisUpdateWaiters } from '../adapters/store/redis-update-waiters.js';
import { clicks, commands } from '../handlers/index.js';
import { createActionProcessor } from '../jobs/action-job.js';
import { AlertEngine } from '../jobs/alerts/alert-engine.js';
import { createAlertRefRecorder } from '../jobs/alerts/alert-ref-recorder.js';
import { QueueActionRequests } from '../jobs/approvals/action-requests.js';
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
import { AzureOnlyDirectory } from '../jobs/fleet/azure-only-directory.js';
import {
  awaitFirstRefresh,
  createFleetProcessor,
  createFleetQueue,
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
import type { PostureStore } from '../jobs/posture.js';
import { createQueues, startWorkers, type WorkerSet } from '../jobs/queues.js';
import { createScanProcessor, SCAN_QUEUE } from '../jobs/scan-job.js';
import { QueueScanRequests } from '../jobs/scan-requests.js';
import { syncScanSchedulers } from '../jobs/scan-scheduler.js';
import { groupsOfInterest } from './access.js';
import type { ChatAdapter, Platform } from './chat-port.js';
import { type Clock, systemClock } from './clock.js';
import { type DpbotConfig, loadConfig } from './config.js';
import { ConfigError } from './errors.js';
import { createLogger, type Logger } from './logger.js';
import { recordScan, renderMetrics, trackPostures, trackQueues } from './metrics.js';
import { Router } from './router.js';

export type Role = 'web' | 'worker' | 'all';

export interface DpbotOptions {
  /** Config file path (DPBOT_CONFIG / --config). Without one: one cluster per kubeconfig context. */
  configPath?: string;
  /** Already-built config (tests). Wins over configPath. */
  config?: DpbotConfig;
  role?: Role;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  clock?: Clock;
  /** Shell adapter streams. @defaultValue process.stdin / process.stdout */
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  /** Key Vault metadata (tests inject one with a fixed credential). @defaultValue SecretClient + DefaultAzureCredential */
  secretMetadataSource?: SecretMetadataSource;
  /** The Arc fleet (tests and the demo inject one with a fake ARG). @defaultValue Resource Graph + DefaultAzureCredential */
  arcFleetSource?: ArcFleetSource;
}

export interface Dpbot {
  config: DpbotConfig;
  httpPort?: number;
  shell?: ShellAdapter;
  /** The posture cache (read by the demo to wait for the first scans). */
  postures: PostureStore;
  stop(): Promise<void>;
}

export async function startDpbot(opts: DpbotOptions = {}): Promise<Dpbot> {
  const env = opts.env ?? process.env;
  const logger = opts.logger ?? createLogger(env.LOG_LEVEL);
  const clock = opts.clock ?? systemClock;
  const role = opts.role ?? 'all';
  const config = opts.config ?? loadConfig(opts.configPath ?? env.DPBOT_CONFIG, listKubeconfigContexts);
  logger.info({ source: config.source, clusters: config.clusters.length, role }, 'configuration loaded');

  // REDIS_URL / REDIS_CLUSTER_NODES (adapters/store/redis-env.ts); on Redis Cluster the prefix is {hash-tagged}.
  const redisConnection = await connectRedis(env, config.redisPrefix, logger);
  const redis = redisConnection.client;
  const redisPrefix = redisConnection.prefix;
  const keys = new Keys(redisPrefix);
  const postures = new RedisPostureStore(redis, keys);
  const waiters = new RedisUpdateWaiters(redis, keys);
  // Alerts (DESIGN §8): state and subscriptions in Redis, so restarts and replicas agree.
  const alertStore = new RedisAlertStore(redis, keys);
  const subscriptions = new RedisSubscriptions(redis, keys);
  const queueOpts = { connection: redis, prefix: redisPrefix };
  const queues = createQueues(queueOpts);
  // Approvals (DESIGN §7): proposals and the audit stream in Redis; work on the action queue.
  const proposals = new RedisProposalStore(redis, keys);
  const audit = new RedisAuditLog(redis, keys, logger);
  const actions = new QueueActionRequests(queues.action, queues.notify);
  // Pictures and digest (DESIGN §11): rendered in-process, no browser, no network.
  const charts = new VegaChartRenderer();
  const digests = new RedisDigestStore(redis, keys);
  // Arc fleet (DESIGN §12): one Resource Graph query set per refreshInterval, stored in Redis.
  const fleetAzure = config.fleet?.azure;
  const arcFleet = new RedisArcFleetStore(redis, keys);
  const fleetQueue = createFleetQueue(queueOpts);
  const azureOnly = fleetAzure ? new AzureOnlyDirectory(arcFleet, fleetAzure, config.clusters) : undefined;
  // Restore drills (DESIGN §10): records in Redis, run on the action queue.
  const drillStore = new RedisDrillStore(redis, keys);

  const http = new HttpServer((err, route) => logger.error({ err, route }, 'HTTP handler failed'));
  const adapters: ChatAdapter[] = [];
  if (env.SLACK_BOT_TOKEN) {
    if (!env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN)
      throw new ConfigError([
        'SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)',
      ]);
    adapters.push(
      new SlackAdapter({
        botToken: env.SLACK_BOT_TOKEN,
        signingSecret: env.SLACK_SIGNING_SECRET ?? '',
        appToken: env.SLACK_APP_TOKEN || undefined,
        apiUrl: env.SLACK_API_URL || undefined,
        http,
        groupIds: groupsOfInterest(config.clusters).map((g) => g.slice('slack-group:'.length)),
        deduper: new RedisDeduper(redis, redisPrefix),
        logger: logger.child({ platform: 'slack' }),
        proxyEnv: env,
      }),
    );
  }
  // Teams is always served at /api/messages (anonymous without an app id, as the Emulator expects).
  adapters.push(
    new TeamsAdapter({
      http,
      conversationRefs: new ConversationRefStore(redis, { prefix: redisPrefix }),
      appId: env.MicrosoftAppId || undefined,
      appPassword: env.MicrosoftAppPassword || undefined,
      tenantId: env.MicrosoftAppTenantId || undefined,
      appType: env.MicrosoftAppType || undefined,
      logger: logger.child({ platform: 'teams' }),
    }),
  );
  const chatConfigured = Boolean(env.SLACK_BOT_TOKEN || env.MicrosoftAppId);
  let shell: ShellAdapter | undefined;
  if (!chatConfigured && role !== 'worker') {
    const stdin = (opts.stdin ?? process.stdin) as NodeJS.ReadableStream & { isTTY?: boolean };
    shell = new ShellAdapter({
      user: shellUser(env),
      input: stdin as unknown as import('node:stream').Readable,
      output: (opts.stdout ?? process.stdout) as unknown as import('node:stream').Writable,
      interactive: Boolean(stdin.isTTY),
    });
    adapters.push(shell);
  }

  const senders: Partial<Record<Platform, ChatSender>> = {};
  for (const a of adapters) senders[a.platform] = a;

  let workers: WorkerSet | undefined;
  let digestRunner: DigestRunner | undefined;
  let notifyEvents: QueueEvents | undefined;
  const eventsRedis = role !== 'web' ? redis.duplicate() : undefined;
  if (role !== 'web') {
    // Scheduled drills wait for their card to be posted (to know its ref) through these events.
    notifyEvents = new QueueEvents(NOTIFY_QUEUE, {
      connection: eventsRedis as Redis,
      prefix: config.redisPrefix,
    });
    const enqueueNotify = async (data: NotifyJobData, jobId: string) => {
      await queues.notify.add('notify', data, { jobId });
    };
    const alertEngine = new AlertEngine({ store: alertStore, subscriptions, enqueueNotify, clock, logger });
    const collector = new KubeSnapshotCollector({ logger });
    // Key Vault: secret metadata only (listPropertiesOfSecrets), never values.
    const keyVaultEnricher = new KeyVaultEnricher(
      opts.secretMetadataSource ??
        new KeyVaultMetadataSource({ verifyChallengeResource: config.keyVault.verifyChallengeResource }),
      { dnsSuffix: config.keyVault.dnsSuffix },
    );
    // DPBOT_SCAN_CONCURRENCY: scans in flight per worker process (memory grows with it; BENCHMARKS.md).
    const workerOpts = { ...queueOpts, scanConcurrency: Number(env.DPBOT_SCAN_CONCURRENCY) || undefined };
    workers = startWorkers(workerOpts, {
      scan: createScanProcessor({
        config,
        collector,
        // KMS v2 key id hashes: first-seen times in Redis give kek-rotation the key's age.
        enrichers: [
          keyVaultEnricher,
          new KekFirstSeenEnricher(new RedisKekFirstSeen(redis, keys), logger),
          // Each cluster's Velero bucket+prefix in Redis: backup-location warns when two clusters share one.
          new BackupTargetsEnricher(new RedisBackupTargets(redis, keys), {
            fleet: () => config.clusters.map((c) => c.name),
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
        senders,
        new RedisChannelPacer(redis, keys),
        createAlertRefRecorder({ store: alertStore, enqueueNotify, clock, logger }),
        new RedisUpdateOrder(redis, keys),
      ),
      action: createActionProcessor({
        config,
        proposals,
        audit,
        velero: new KubeVeleroActions(),
        requests: actions,
        clock,
        logger,
        // Test hook only (documented in jobs/action/deps.ts): proves crash recovery of the execute step.
        crashAfterCreate: env.DPBOT_TEST_CRASH_AFTER_CREATE === '1',
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
            opts.arcFleetSource ??
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
    if (await syncFleetScheduler(fleetQueue, fleetAzure))
      if (!(await awaitFirstRefresh(arcFleet)))
        logger.warn(
          'the first Arc fleet refresh is taking long; scans report arc-connectivity unknown until it lands',
        );
    // One job scheduler per cluster; re-synced at every start (config changes take effect at restart).
    const synced = await syncScanSchedulers(queues.scan, config.clusters);
    logger.info({ clusters: synced.upserted.length, removed: synced.removed }, 'scan schedulers synced');
    // One job scheduler `digest` (cron + tz): one digest per tick whatever the number of replicas.
    digestRunner = startDigestWorker(
      queueOpts,
      createDigestProcessor({
        digest: config.digest,
        // The whole fleet: configured clusters and those known only from Azure (Arc findings).
        clusters: () => [
          ...config.clusters.map((c) => c.name),
          ...(azureOnly?.clusters() ?? []).map((c) => c.name),
        ],
        postures,
        store: digests,
        renderer: charts,
        clock,
        logger,
        enqueueNotify,
      }),
    );
    if (await syncDigestScheduler(digestRunner.queue, config.digest))
      logger.info(
        { schedule: config.digest?.schedule, timezone: config.digest?.timezone },
        'digest scheduled',
      );
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
  }

  const router = new Router(
    commands,
    (request) => ({
      config,
      postures,
      scans: new QueueScanRequests(queues.scan, waiters),
      clock,
      logger,
      request,
      alerts: alertStore,
      subscriptions,
      proposals,
      audit,
      actions,
      charts,
      digests,
      arcFleet,
      azureOnly,
      drills: drillStore,
    }),
    clicks,
  );
  for (const a of adapters) {
    a.onCommand((req) => router.handle(req));
    a.onClick((click) => router.handleClick(click));
  }

  // Metrics (bot/metrics.ts): queue depth on every role; the fleet's findings from the web role only.
  const untrack = [trackQueues(Object.values(queues))];
  if (role !== 'worker')
    untrack.push(
      trackPostures(async () => (await postures.getMany(config.clusters.map((c) => c.name))).values()),
    );

  let httpPort: number | undefined;
  // Ready once every enabled chat platform started (Slack's auth.test passed, Teams mounted).
  let platformsReady = role === 'worker';
  // Workers serve only health and metrics (probes, Prometheus) on their own server, never chat routes.
  const ops =
    role === 'worker'
      ? new HttpServer((err, route) => logger.error({ err, route }, 'HTTP handler failed'))
      : http;
  const serveHttp = role === 'worker' ? Boolean(env.PORT) : !shell || Boolean(env.PORT);
  if (serveHttp) {
    ops.route(
      'GET',
      '/healthz',
      (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n'),
    );
    ops.route('GET', '/readyz', async (_req, res) => {
      // BullMQ's connections queue commands while Redis is away (maxRetriesPerRequest: null), so a
      // bare PING would hang the probe: give it one second.
      let timer: NodeJS.Timeout | undefined;
      const redisUp = await Promise.race([
        redis.ping().then(
          () => true,
          () => false,
        ),
        new Promise<boolean>((r) => {
          timer = setTimeout(() => r(false), 1000);
        }),
      ]);
      clearTimeout(timer);
      const ok = redisUp && platformsReady;
      const why = !redisUp ? 'redis unavailable' : 'chat platforms starting';
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ready\n' : `${why}\n`);
    });
    ops.route('GET', '/metrics', async (_req, res) => {
      const m = await renderMetrics();
      res.writeHead(200, { 'content-type': m.contentType }).end(m.body);
    });
  }
  // Workers only send (notify jobs); receiving belongs to the web role.
  if (role !== 'worker') for (const a of adapters) if (a !== shell) await a.start();
  platformsReady = true;
  if (serveHttp) {
    httpPort = await ops.listen(Number(env.PORT ?? 3000));
    logger.info({ port: httpPort }, 'HTTP server listening');
  }
  await azureOnly?.refresh().catch((err) => logger.warn({ err }, 'cannot read the Arc fleet from Redis'));
  azureOnly?.start();
  if (shell) await shell.start();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('shutting down');
      for (const a of adapters) await a.stop().catch((err) => logger.warn({ err }, 'adapter stop failed'));
      await http.close();
      await ops.close();
      for (const u of untrack) u();
      await workers?.close();
      await digestRunner?.close();
      await notifyEvents?.close();
      await eventsRedis?.quit().catch(() => undefined);
      await Promise.all(Object.values(queues).map((q) => q.close()));
      await fleetQueue.close();
      azureOnly?.stop();
      await redisConnection.close();
    })());
  return { config, httpPort, shell, postures, stop };
}
