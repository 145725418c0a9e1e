import type { Backup, ClusterSnapshot } from './checks/snapshot.js';
import type { BackupSummary } from './posture.js';

const SCHEDULE_LABEL = 'velero.io/schedule-name';
const KEEP = 200;

function timeOf(b: Backup): string | undefined {
  return (
    b.status?.completionTimestamp ?? b.status?.startTimestamp ?? b.metadata.creationTimestamp ?? undefined
  );
}

/**
 * When a backup started, as backup-freshness orders them: Velero's backup sync re-creates old Backups
 * with a new creationTimestamp, so that is used only for backups not started yet (New, Queued).
 */
function startOf(b: Backup): number {
  for (const t of [b.status?.startTimestamp, b.status?.completionTimestamp, b.metadata.creationTimestamp]) {
    const ms = Date.parse(t ?? '');
    if (!Number.isNaN(ms)) return ms;
  }
  return 0;
}

/** Seconds from start to completion; a backup still running counts up to `nowMs`. */
function durationOf(b: Backup, nowMs: number | undefined): number | undefined {
  const start = Date.parse(b.status?.startTimestamp ?? '');
  if (Number.isNaN(start)) return undefined;
  const done = Date.parse(b.status?.completionTimestamp ?? '');
  const end = Number.isNaN(done) ? nowMs : done;
  return end === undefined || end < start ? undefined : Math.round((end - start) / 1000);
}

/** Newest first (by start), capped: what `/dp backups` shows without touching the cluster. */
export function summarizeBackups(snapshot: ClusterSnapshot, now?: Date): BackupSummary[] {
  if (!snapshot.backups.ok) return [];
  return snapshot.backups.items
    .map((b) => ({ b, start: startOf(b) }))
    .sort((x, y) => y.start - x.start || y.b.metadata.name.localeCompare(x.b.metadata.name))
    .map(
      ({ b }): BackupSummary => ({
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
    .slice(0, KEEP);
}
