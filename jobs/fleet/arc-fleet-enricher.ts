/**
 * Joins the stored Arc fleet into a configured cluster's snapshot (`snapshot.arc`) before the checks
 * run: by `azure.resourceId` when configured, else by name. A missing, failed or stale refresh becomes
 * `ok: false`, so `arc-connectivity` says unknown, never ok.
 */
import type { ClusterConfig, FleetAzureConfig } from '../../bot/config.js';
import { formatDuration } from '../../bot/duration.js';
import type { ArcObservation } from '../checks/arc-snapshot.js';
import type { ClusterSnapshot } from '../checks/snapshot.js';
import type { SnapshotEnricher } from '../scan-job.js';
import type { ArcFleetStore } from './arc-inventory.js';

/** A refresh older than this many intervals is stale (no worker is running the fleet job). */
export const STALE_AFTER_INTERVALS = 3;

export class ArcFleetEnricher implements SnapshotEnricher {
  constructor(
    private readonly store: ArcFleetStore,
    private readonly fleet: FleetAzureConfig,
  ) {}

  async enrich(cluster: ClusterConfig, snapshot: ClusterSnapshot, now: Date): Promise<void> {
    snapshot.arc = await this.observe(cluster, now);
  }

  private async observe(cluster: ClusterConfig, now: Date): Promise<ArcObservation> {
    const meta = await this.store.getMeta();
    if (!meta?.fetchedAt && !meta?.error)
      return {
        ok: false,
        error: { reason: 'ApiError', message: 'the first Arc fleet refresh has not finished yet' },
      };
    if (meta.error) return { ok: false, error: meta.error };
    const age = now.getTime() - Date.parse(meta.attemptedAt);
    if (age > STALE_AFTER_INTERVALS * this.fleet.refreshIntervalMs)
      return {
        ok: false,
        error: {
          reason: 'Timeout',
          message: `the Arc fleet was last refreshed ${formatDuration(age)} ago; is a worker running?`,
        },
      };
    const base = {
      ok: true as const,
      expected: Boolean(cluster.azure),
      unreadableSubscriptions: meta.unreadableSubscriptions.map((s) => s.subscriptionId),
      fetchedAt: meta.fetchedAt as string,
    };
    if (cluster.azure) {
      const entry = await this.store.byId(cluster.azure.resourceId);
      return entry ? { ...base, view: entry.view } : base;
    }
    const ids = await this.store.idsByName(cluster.name);
    if (ids.length > 1)
      return {
        ok: false,
        error: {
          reason: 'ApiError',
          message: `${ids.length} Arc clusters are named like ${cluster.name} (${ids.join(', ')}); set azure.resourceId on the cluster`,
        },
      };
    const entry = ids[0] ? await this.store.byId(ids[0]) : undefined;
    return entry ? { ...base, view: entry.view } : base;
  }
}
