import type { Backup, ClusterSnapshot } from './checks/snapshot.js';
import type { BackupSummary } from './posture.js';

const SCHEDULE_LABEL = 'velero.io/schedule-name';
const KEEP = 200;

function timeOf(b: Backup): string | undefined {
  return (
    b.status?.completionTimestamp ?? b.status?.startTimestamp ?? b.metadata.creationTimestamp ?? undefined
  );
}

/** Seconds from start to completion; a backup still running counts up to `nowMs`. */
function durationOf(b: Backup, nowMs: number | undefined): number | undefined {
  const start = Date.parse(b.status?.startTimestamp ?? '');
  if (Number.isNaN(start)) return undefined;
  const done = Date.parse(b.status?.completionTimestamp ?? '');
  const end = Number.isNaN(done) ? nowMs : done;
  return end === undefined || end < start ? undefined : Math.round((end - start) / 1000);
}

/** Newest first, capped: what `/dp backups` shows without touching the cluster. */
export function summarizeBackups(snapshot: ClusterSnapshot, now?: Date): BackupSummary[] {
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
        durationS: durationOf(b, now?.getTime()),
      }),
    )
    .sort((a, b) => (Date.parse(b.at ?? '') || 0) - (Date.parse(a.at ?? '') || 0))
    .slice(0, KEEP);
}
