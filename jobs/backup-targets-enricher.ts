/**
 * Fills `snapshot.sharedBackupTargets`: which other clusters of the fleet write Velero backups to the
 * same object-store target (provider + bucket + prefix, and the account/endpoint that scopes the
 * bucket name). Only data across clusters can show it, so each scan records its cluster's targets in
 * Redis (through the store port) and reads who else recorded the same ones; backup-location then
 * warns `BackupLocationShared`. Only locations Velero writes to count (not `accessMode: ReadOnly`).
 * A failed store leaves the field unset: nothing is claimed either way.
 */
import { createHash } from 'node:crypto';
import type { ClusterConfig } from '../bot/config.js';
import type { BackupStorageLocation, ClusterSnapshot } from './checks/snapshot.js';
import type { EnricherLogger } from './kek-first-seen-enricher.js';
import type { SnapshotEnricher } from './scan-job.js';

/** Port (adapters/store/redis-backup-targets.ts). */
export interface BackupTargetStore {
  /**
   * Records `targets` as this cluster's (replacing what it recorded before) at `at`, and returns per
   * target the other clusters that recorded it with their last time (ISO).
   */
  record(
    cluster: string,
    targets: readonly string[],
    at: Date,
  ): Promise<Record<string, Record<string, string>>>;
}

export interface BackupTargetsOptions {
  /** Another cluster's record older than this is forgotten (it stopped scanning). @defaultValue 2 days */
  maxAgeMs?: number;
  /** The fleet's cluster names now; records of clusters no longer configured are ignored. */
  fleet?: () => ReadonlySet<string>;
  logger?: EnricherLogger;
}

/** Config keys that scope a bucket name to an account or endpoint (Azure, S3-compatible stores). */
const SCOPE_KEYS = ['storageAccount', 'storageAccountURI', 's3Url'];

/** `azure|account=kvstore|velero|store-042`, or undefined for a location without a bucket. */
export function backupTargetOf(bsl: BackupStorageLocation): string | undefined {
  const bucket = bsl.spec?.objectStorage?.bucket?.trim();
  if (!bucket) return undefined;
  const provider = (bsl.spec?.provider ?? '')
    .trim()
    .toLowerCase()
    .replace(/^velero\.io\//, '');
  const config = bsl.spec?.config ?? {};
  const scope = SCOPE_KEYS.filter((k) => typeof config[k] === 'string' && config[k].trim())
    .map((k) => `${k}=${config[k].trim().toLowerCase().replace(/\/+$/, '')}`)
    .join(',');
  const prefix = (bsl.spec?.objectStorage?.prefix ?? '').trim().replace(/^\/+|\/+$/g, '');
  return [provider, scope, bucket, prefix].join('|');
}

/** A short stable id for a target (Redis key part; the target text itself may hold any character). */
export function targetId(target: string): string {
  return createHash('sha256').update(target).digest('hex').slice(0, 32);
}

export class BackupTargetsEnricher implements SnapshotEnricher {
  constructor(
    private readonly store: BackupTargetStore,
    private readonly options: BackupTargetsOptions = {},
  ) {}

  async enrich(cluster: ClusterConfig, snapshot: ClusterSnapshot, now: Date): Promise<void> {
    if (!snapshot.backupStorageLocations.ok) return;
    const ns = snapshot.veleroNamespace;
    const byLocation = new Map<string, string>();
    for (const l of snapshot.backupStorageLocations.items) {
      if (!l?.metadata?.name || (l.metadata.namespace && l.metadata.namespace !== ns)) continue;
      // A ReadOnly location only reads (a DR cluster looking at another's bucket): Velero neither
      // writes nor garbage-collects there, so sharing it is safe and intended.
      if (l.spec?.accessMode === 'ReadOnly') continue;
      const target = backupTargetOf(l);
      if (target) byLocation.set(l.metadata.name, targetId(target));
    }
    try {
      const seen = await this.store.record(cluster.name, [...new Set(byLocation.values())], now);
      const maxAgeMs = this.options.maxAgeMs ?? 2 * 86_400_000;
      const fleet = this.options.fleet?.();
      const shared: Record<string, string[]> = {};
      for (const [location, id] of byLocation) {
        const others = Object.entries(seen[id] ?? {})
          .filter(([c, at]) => c !== cluster.name && now.getTime() - Date.parse(at) <= maxAgeMs)
          .filter(([c]) => !fleet || fleet.has(c))
          .map(([c]) => c)
          .sort();
        shared[location] = others;
      }
      snapshot.sharedBackupTargets = shared;
    } catch (err) {
      this.options.logger?.warn({ err, cluster: cluster.name }, 'while recording backup targets');
    }
  }
}
