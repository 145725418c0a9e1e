/**
 * fleet (DESIGN §12): read the Arc fleet from Azure Resource Graph → store it in Redis → for each
 * cluster known only from Azure, run `arc-connectivity`, store its posture and hand it to the
 * listeners (alerts), as a scan would. One BullMQ job scheduler (`fleet:azure`) makes it one query
 * set per `refreshInterval` whatever the number of replicas.
 */
import { type ConnectionOptions, type Job, Queue, Worker } from 'bullmq';
import type { Clock } from '../../bot/clock.js';
import type { ClusterConfig, FleetAzureConfig } from '../../bot/config.js';
import type { Logger } from '../../bot/logger.js';
import { arcFindings } from '../checks/arc-connectivity.js';
import type { ArcObservation } from '../checks/arc-snapshot.js';
import { clusterStatus } from '../checks/run-checks.js';
import type { Posture, PostureStore } from '../posture.js';
import type { PostureListener } from '../scan-job.js';
import type { ArcFleetEntry, ArcFleetMeta, ArcFleetSource, ArcFleetStore } from './arc-inventory.js';
import { azureOnlyEntries } from './arc-join.js';
import { assignArcNames } from './arc-names.js';

export const FLEET_QUEUE = 'fleet';
export const FLEET_SCHEDULER = 'fleet:azure';

export interface FleetJobData {
  trigger: 'schedule' | 'command';
}
export interface FleetResult {
  ok: boolean;
  clusters: number;
  azureOnly: number;
  unreadableSubscriptions: number;
}

export interface FleetDeps {
  fleet: FleetAzureConfig;
  /** Configured clusters (with kubeconfigs): their Arc data is joined by their own scans. */
  clusters: readonly ClusterConfig[];
  source: ArcFleetSource;
  store: ArcFleetStore;
  postures: PostureStore;
  listeners?: PostureListener[];
  clock: Clock;
  logger: Logger;
}

/** The settings of an Azure-only cluster: the config's defaults under its own name. */
export function azureOnlyCluster(fleet: FleetAzureConfig, name: string): ClusterConfig {
  return { ...fleet.clusterDefaults, name };
}

export function createFleetProcessor(deps: FleetDeps) {
  return async (job?: Job<FleetJobData, FleetResult>): Promise<FleetResult> => {
    const log = deps.logger.child({ queue: FLEET_QUEUE, jobId: job?.id });
    const started = deps.clock.now();
    const read = await deps.source.readFleet();
    const now = deps.clock.now();
    let entries: ArcFleetEntry[];
    let meta: ArcFleetMeta;
    if (read.ok) {
      const names = assignArcNames(read.clusters);
      const named = read.clusters.map((view) => ({
        name: names.get(view.cluster.id.toLowerCase()) as string,
        view,
      }));
      const only = azureOnlyEntries(deps.clusters, named);
      const renamed = new Map(only.map((e) => [e.view.cluster.id.toLowerCase(), e]));
      entries = named.map((e) => renamed.get(e.view.cluster.id.toLowerCase()) ?? e);
      meta = {
        attemptedAt: now.toISOString(),
        fetchedAt: now.toISOString(),
        unreadableSubscriptions: read.unreadableSubscriptions,
        azureOnly: only.map((e) => e.name),
        azureOnlyIds: Object.fromEntries(only.map((e) => [e.name, e.view.cluster.id])),
        clusters: entries.length,
      };
      await deps.store.replace(meta, entries);
    } else {
      // Keep the last known clusters (so Azure-only ones stay listed, now unknown), record the failure.
      const prev = await deps.store.getMeta();
      entries = await deps.store.list();
      meta = {
        unreadableSubscriptions: [],
        azureOnly: [],
        azureOnlyIds: {},
        clusters: entries.length,
        ...prev,
        attemptedAt: now.toISOString(),
        error: read.error,
      };
      await deps.store.putMeta(meta);
      log.warn({ reason: read.error.reason, error: read.error.message }, 'Arc fleet refresh failed');
    }
    const azureOnly = new Set(meta.azureOnly);
    const only = entries.filter((e) => azureOnly.has(e.name)).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of only) {
      const observation: ArcObservation = read.ok
        ? {
            ok: true,
            view: entry.view,
            expected: false,
            unreadableSubscriptions: [],
            fetchedAt: now.toISOString(),
          }
        : { ok: false, error: read.error };
      const cluster = azureOnlyCluster(deps.fleet, entry.name);
      const findings = arcFindings(entry.name, observation, now, cluster.checks);
      const posture: Posture = {
        cluster: entry.name,
        status: clusterStatus(findings),
        findings,
        scannedAt: now.toISOString(),
        durationMs: now.getTime() - started.getTime(),
        backups: [],
      };
      await deps.postures.put(posture);
      for (const l of deps.listeners ?? []) {
        try {
          await l.onPosture(cluster, posture, log.child({ cluster: entry.name }));
        } catch (err) {
          log.error({ err, cluster: entry.name }, 'while handling the new posture');
        }
      }
    }
    const result = {
      ok: read.ok,
      clusters: meta.clusters,
      azureOnly: only.length,
      unreadableSubscriptions: meta.unreadableSubscriptions.length,
    };
    log.info(result, 'Arc fleet refreshed');
    return result;
  };
}

export interface FleetQueueOptions {
  connection: ConnectionOptions;
  prefix: string;
}

export function createFleetQueue(opts: FleetQueueOptions): Queue<FleetJobData, FleetResult> {
  return new Queue<FleetJobData, FleetResult>(FLEET_QUEUE, {
    ...opts,
    defaultJobOptions: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 }, attempts: 1 },
  });
}

export function startFleetWorker(
  opts: FleetQueueOptions,
  processor: ReturnType<typeof createFleetProcessor>,
): Worker<FleetJobData, FleetResult> {
  return new Worker<FleetJobData, FleetResult>(FLEET_QUEUE, processor, { ...opts, concurrency: 1 });
}

/** Upserts the one fleet scheduler (or removes it when `fleet.azure` is gone from the config). */
export async function syncFleetScheduler(
  queue: Queue<FleetJobData, FleetResult>,
  fleet: FleetAzureConfig | undefined,
): Promise<boolean> {
  if (!fleet) {
    await queue.removeJobScheduler(FLEET_SCHEDULER);
    return false;
  }
  await queue.upsertJobScheduler(
    FLEET_SCHEDULER,
    { every: fleet.refreshIntervalMs },
    { name: 'fleet', data: { trigger: 'schedule' } },
  );
  return true;
}

/**
 * Waits (bounded) until some fleet refresh has been stored, so the first scans after a cold start join
 * a real inventory instead of reporting "not read yet". An earlier run's inventory counts.
 */
export async function awaitFirstRefresh(
  store: Pick<ArcFleetStore, 'getMeta'>,
  timeoutMs = 20_000,
  pollMs = 100,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await store.getMeta()) return true;
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
