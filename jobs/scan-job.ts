/** scan (cluster) → collect snapshot → checks → store posture → listeners (alerts) → waiting replies. */
import { type Job, UnrecoverableError } from 'bullmq';
import type { Clock } from '../bot/clock.js';
import { type ClusterConfig, type DpbotConfig, findCluster } from '../bot/config.js';
import type { Logger } from '../bot/logger.js';
import { backupsTable, statusReport } from '../bot/reports.js';
import { summarizeBackups } from './backup-summaries.js';
import type { Status } from './checks/finding.js';
import { clusterStatus, runChecks } from './checks/run-checks.js';
import type { ClusterSnapshot } from './checks/snapshot.js';
import type { NotifyJobData } from './notify-job.js';
import { compactFindings, type Posture, type PostureStore } from './posture.js';
import type { UpdateWaiter, UpdateWaiters } from './update-waiters.js';

export const SCAN_QUEUE = 'scan';

export interface ScanJobData {
  cluster: string;
  trigger: 'schedule' | 'command' | 'startup';
}
export interface ScanResult {
  cluster: string;
  status: Status;
  findings: number;
  durationMs: number;
}

/** Port: reads a cluster (adapters/kube). Never throws for API failures: they become CollectErrors. */
export interface SnapshotCollector {
  /** `log`: the scan job's logger (names the cluster and the job id). */
  collect(cluster: ClusterConfig, log?: Logger): Promise<ClusterSnapshot>;
}
/** Adds data from elsewhere to a snapshot (Key Vault metadata, KEK first-seen times). */
export interface SnapshotEnricher {
  /** `fresh`: a person asked for this scan; nothing shared from other clusters' scans may stand in. */
  enrich(
    cluster: ClusterConfig,
    snapshot: ClusterSnapshot,
    now: Date,
    opts?: { fresh?: boolean },
  ): Promise<void>;
}
/** Reacts to a new posture (alert transitions, metrics). */
export interface PostureListener {
  /** `log`: the scan job's logger (names the cluster and the job id). */
  onPosture(cluster: ClusterConfig, posture: Posture, log?: Logger): Promise<void>;
}

export interface ScanDeps {
  config: DpbotConfig;
  collector: SnapshotCollector;
  enrichers?: SnapshotEnricher[];
  listeners?: PostureListener[];
  postures: PostureStore;
  waiters: UpdateWaiters;
  enqueueNotify: (data: NotifyJobData, jobId: string) => Promise<void>;
  clock: Clock;
  logger: Logger;
}

export async function renderWaiter(w: UpdateWaiter, postures: PostureStore, now: Date) {
  if (w.view.type === 'status')
    return statusReport(w.view.clusters, await postures.getMany(w.view.clusters), now);
  const p = await postures.get(w.view.cluster);
  return backupsTable(w.view.cluster, p, now, w.view);
}

export function createScanProcessor(deps: ScanDeps) {
  return async (job: Job<ScanJobData, ScanResult>): Promise<ScanResult> => {
    const cluster = findCluster(deps.config, job.data.cluster);
    if (!cluster) throw new UnrecoverableError(`unknown cluster ${job.data.cluster}`);
    const log = deps.logger.child({ cluster: cluster.name, jobId: job.id, queue: SCAN_QUEUE });
    const started = deps.clock.now();
    const snapshot = await deps.collector.collect(cluster, log);
    const fresh = job.data.trigger === 'command';
    for (const e of deps.enrichers ?? []) await e.enrich(cluster, snapshot, started, { fresh });
    const now = deps.clock.now();
    const findings = runChecks(snapshot, now, cluster.checks);
    const posture: Posture = {
      cluster: cluster.name,
      status: clusterStatus(findings),
      findings,
      scannedAt: now.toISOString(),
      durationMs: now.getTime() - started.getTime(),
      backups: summarizeBackups(snapshot, now),
      ...(snapshot.backups.ok
        ? {}
        : {
            backupsError: { reason: snapshot.backups.error.reason, message: snapshot.backups.error.message },
          }),
    };
    // Stored compact (ok runs counted on one line); listeners (alerts, metrics) get every finding.
    // A posture older than the stored one (scans ending out of order) is dropped, listeners and all.
    const stored = await deps.postures.put({ ...posture, findings: compactFindings(findings) });
    if (!stored) log.info('a scan that started later was stored first; this older posture is dropped');
    else
      for (const l of deps.listeners ?? []) {
        try {
          await l.onPosture(cluster, posture, log);
        } catch (err) {
          log.error({ err }, 'while handling the new posture');
        }
      }
    for (const w of await deps.waiters.complete(cluster.name)) {
      const message = await renderWaiter(w, deps.postures, now);
      await deps.enqueueNotify({ op: 'update', ref: w.ref, message }, `update-${w.id}`);
    }
    log.info(
      { status: posture.status, findings: findings.length, durationMs: posture.durationMs },
      'scan finished',
    );
    return {
      cluster: cluster.name,
      status: posture.status,
      findings: findings.length,
      durationMs: posture.durationMs,
    };
  };
}
