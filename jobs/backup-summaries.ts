import type { Backup, ClusterSnapshot } from './checks/snapshot.js';
import type { BackupSummary } from './posture.js';

const SCHEDULE_LABEL = 'velero.io/schedule-name';
const KEEP = 200;

function timeOf(b: Backup): string | undefined {
  return (
    b.status?.completionTimestamp ?? b.status?.startTimestamp ?? b.metadata.creationTimestamp ?? undefined
  );
}

/** Newest first, capped: what `/dp backups` shows without touching the cluster. */
export function summarizeBackups(snapshot: ClusterSnapshot): BackupSummary[] {
  if (!snapshot.backups.ok) return [];
  return snapshot.backups.items
    .map(
      (b): BackupSummary => ({
        name: b.metadata.name,
        schedule: b.metadata.labels?.[SCHEDULE_LABEL],
        phase: b.status?.phase ?? 'New',
        at: timeOf(b),
        errors: b.status?.errors ?? 0,
        warnings: b.status?.warnings ?? 0,
        storageLocation: b.spec?.storageLocation,
        includedNamespaces: b.spec?.includedNamespaces,
      }),
    )
    .sort((a, b) => (Date.parse(b.at ?? '') || 0) - (Date.parse(a.at ?? '') || 0))
    .slice(0, KEEP);
}
