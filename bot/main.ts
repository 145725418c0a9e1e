/**
 * The only composition root: config and environment, Redis, stores, queues, then the pieces wired in
 * bot/wire-*.ts (workers, chat adapters and router) and the health routes. Read top to bottom.
 */

import { VegaChartRenderer } from '../adapters/charts/vega-renderer.js';
import type { ShellAdapter } from '../adapters/chat/shell/shell-adapter.js';
import { HttpServer } from '../adapters/http/http-server.js';
import { listKubeconfigContexts } from '../adapters/kube/kubeconfig-contexts.js';
import { Keys } from '../adapters/store/keys.js';
import { connectRedis } from '../adapters/store/redis-connection.js';
import { QueueActionRequests } from '../jobs/approvals/action-requests.js';
import type { ArcFleetSource } from '../jobs/fleet/arc-inventory.js';
import { AzureOnlyDirectory } from '../jobs/fleet/azure-only-directory.js';
import { createFleetQueue } from '../jobs/fleet/fleet-job.js';
import type { SecretMetadataSource } from '../jobs/keyvault-enricher.js';
import type { PostureStore } from '../jobs/posture.js';
import { createQueues } from '../jobs/queues.js';
import { QueueScanRequests } from '../jobs/scan-requests.js';
import { type Clock, systemClock } from './clock.js';
import { type DpbotConfig, loadConfig } from './config.js';
import { mountHealthRoutes } from './health-routes.js';
import { createLogger, type Logger } from './logger.js';
import { trackPostures, trackQueues } from './metrics.js';
import { loadRuntimeEnv } from './runtime-env.js';
import { connectRouter, handlerDeps, wireChat, wireRouter } from './wire-chat.js';
import { wireStores } from './wire-stores.js';
import { wireWorkers } from './wire-workers.js';

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
  // Every environment variable, validated before anything connects (bot/runtime-env.ts).
  const env = loadRuntimeEnv(opts.env ?? process.env);
  const logger = opts.logger ?? createLogger(env.LOG_LEVEL);
  const clock = opts.clock ?? systemClock;
  const role = opts.role ?? 'all';
  const loaded = opts.config ?? loadConfig(opts.configPath ?? env.DPBOT_CONFIG, listKubeconfigContexts);
  logger.info({ source: loaded.source, clusters: loaded.clusters.length, role }, 'configuration loaded');

  // REDIS_URL / REDIS_CLUSTER_NODES / REDIS_TLS_CA_FILE (adapters/store/redis-env.ts, read from the raw
  // environment); on Redis Cluster the prefix becomes {hash-tagged}, and everything below uses that one.
  const redisConnection = await connectRedis(opts.env ?? process.env, loaded.redisPrefix, logger);
  const redis = redisConnection.client;
  const config: DpbotConfig = { ...loaded, redisPrefix: redisConnection.prefix };
  const keys = new Keys(config.redisPrefix);
  const stores = wireStores(redis, keys, logger);
  const queueOpts = { connection: redis, prefix: config.redisPrefix };
  const queues = createQueues(queueOpts);
  // Approvals (DESIGN §7): work on the action queue.
  const actions = new QueueActionRequests(queues.action, queues.notify);
  // Pictures and digest (DESIGN §11): rendered in-process, no browser, no network.
  const charts = new VegaChartRenderer();
  // Arc fleet (DESIGN §12): one Resource Graph query set per refreshInterval, stored in Redis.
  const fleetAzure = config.fleet?.azure;
  const fleetQueue = createFleetQueue(queueOpts);
  const azureOnly = fleetAzure
    ? new AzureOnlyDirectory(stores.arcFleet, fleetAzure, config.clusters)
    : undefined;

  const http = new HttpServer((err, route) => logger.error({ err, route }, 'HTTP handler failed'));
  const { adapters, shell, senders } = wireChat({ ...opts, env, config, role, redis, http, logger });

  const workers =
    role !== 'web'
      ? await wireWorkers({
          ...opts,
          env,
          config,
          redis,
          keys,
          queueOpts,
          queues,
          fleetQueue,
          stores,
          actions,
          charts,
          senders,
          azureOnly,
          clock,
          logger,
        })
      : undefined;

  const { postures } = stores;
  const scans = new QueueScanRequests(queues.scan, stores.waiters);
  const router = wireRouter(
    handlerDeps({ config, stores, scans, actions, charts, clock, logger, azureOnly }),
  );
  connectRouter(adapters, router);

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
  if (serveHttp) mountHealthRoutes(ops, redis, () => platformsReady);
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
      await Promise.all(Object.values(queues).map((q) => q.close()));
      await fleetQueue.close();
      azureOnly?.stop();
      await redisConnection.close();
    })());
  return { config, httpPort, shell, postures, stop };
}
