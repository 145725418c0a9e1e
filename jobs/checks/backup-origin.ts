/**
 * Which of a Schedule's Backups did this cluster make? Velero's backup sync controller copies every
 * Backup it finds in a BackupStorageLocation's bucket into the cluster, keeping its labels — so when
 * two clusters write to the same bucket+prefix, each sees the other's backups labelled with the same
 * `velero.io/schedule-name`. The sync sets `spec.storageLocation` and the `velero.io/storage-location`
 * label to the local location and drops Schedule owner references whose Schedule is missing here or
 * has another uid (pkg/controller/backup_sync_controller.go, filterBackupOwnerReferences); it adds no
 * label of its own. The evidence, strongest first:
 * 0. the `dpbot.io/cluster` annotation dpbot puts on the Backups it makes (`/dp backup`): this cluster
 *    → ours; another → that cluster's;
 * 1. an owner reference to a Schedule: this Schedule's uid → ours; another uid → not this Schedule's;
 * 2. `spec.useOwnerReferencesInBackup`: once a backup carries this Schedule's reference, every later
 *    one it makes (also `velero backup create --from-schedule`) carries it — one without is foreign;
 * 3. `status.lastBackup` (the time of the schedule's last run): the backup named
 *    `<schedule>-<lastBackup as 20060102150405>` (Schedule.TimestampedName) is that run's; one that
 *    started more than an hour after it was not made by a run of this schedule (synced from another
 *    cluster, or made on demand);
 * 4. otherwise undetermined, and counted (the benefit of the doubt, as before).
 * Times of synced backups come from their status (startTimestamp/completionTimestamp survive the
 * sync); metadata.creationTimestamp is when the sync re-created the object.
 */
import { parseTimestamp } from './schedule-interval.js';
import type { Backup, Schedule } from './snapshot.js';

export const DPBOT_CLUSTER_ANNOTATION = 'dpbot.io/cluster';

export type Origin = 'own' | 'foreign' | 'unattributed' | 'undetermined';
export interface OriginVerdict {
  origin: Origin;
  /** Why, for the message (empty for undetermined). */
  why: string;
}

/** A backup of the last run may start late (queued behind others); beyond this it is not that run's. */
export const LAST_RUN_SLACK_MS = 60 * 60_000;

interface OwnerRef {
  kind?: string;
  name?: string;
  uid?: string;
}

function scheduleRefs(b: Backup): OwnerRef[] {
  const refs: unknown = b.metadata.ownerReferences;
  if (!Array.isArray(refs)) return [];
  return refs.filter((r): r is OwnerRef => typeof r === 'object' && r !== null && r.kind === 'Schedule');
}

/** `20261125020000`: Go's `20060102150405` layout in UTC, as Velero names a scheduled run. */
export function runStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function startedMs(b: Backup): number | undefined {
  return parseTimestamp(b.status?.startTimestamp) ?? parseTimestamp(b.status?.completionTimestamp);
}

/** Classifies each backup (labelled with this schedule's name) by who made it; same order as given. */
export function classifyOrigins(schedule: Schedule, backups: Backup[], cluster: string): OriginVerdict[] {
  const uid = schedule.metadata.uid;
  const name = schedule.metadata.name;
  const lastRun = parseTimestamp(schedule.status?.lastBackup);
  const ownRef = (b: Backup) => !!uid && scheduleRefs(b).some((r) => r.uid === uid);
  // Rule 2: since when this Schedule demonstrably stamps its backups.
  const stampedSince =
    schedule.spec?.useOwnerReferencesInBackup === true && uid
      ? Math.min(
          ...backups
            .filter(ownRef)
            .map(startedMs)
            .filter((t): t is number => t !== undefined),
        )
      : Number.POSITIVE_INFINITY;
  return backups.map((b): OriginVerdict => {
    const madeOn = b.metadata.annotations?.[DPBOT_CLUSTER_ANNOTATION];
    if (madeOn === cluster) return { origin: 'own', why: 'made by dpbot on this cluster' };
    if (madeOn) return { origin: 'foreign', why: `dpbot made it on cluster ${madeOn}` };
    const refs = scheduleRefs(b);
    if (ownRef(b)) return { origin: 'own', why: `owned by this Schedule (uid ${uid})` };
    const other = refs.find((r) => r.uid && uid && r.uid !== uid);
    if (other) {
      return {
        origin: 'foreign',
        why: `its owner reference names Schedule uid ${other.uid}, not this cluster's ${uid}`,
      };
    }
    const started = startedMs(b);
    if (refs.length === 0 && started !== undefined && started >= stampedSince) {
      return {
        origin: 'foreign',
        why: `it has no owner reference, though ${name} (useOwnerReferencesInBackup) stamps every backup it makes`,
      };
    }
    if (lastRun !== undefined) {
      if (b.metadata.name === `${name}-${runStamp(lastRun)}`)
        return { origin: 'own', why: "the schedule's last run (status.lastBackup)" };
      if (started !== undefined && started > lastRun + LAST_RUN_SLACK_MS) {
        return {
          origin: 'unattributed',
          why: `it started after ${name}'s last run (status.lastBackup ${new Date(lastRun).toISOString()}), so no run of this schedule made it`,
        };
      }
    }
    return { origin: 'undetermined', why: '' };
  });
}
