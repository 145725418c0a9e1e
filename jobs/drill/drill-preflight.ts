/**
 * Drill preflight (DESIGN §7.1 + §10): the backup (`latest` = newest Completed of the cluster's
 * schedules) exists and is Completed, its location is Available, the namespaces are in it, and no
 * scratch namespace exists yet. Anything else is refused before an approval card is shown.
 */
import type { ClusterConfig } from '../../bot/config.js';
import { ago } from '../../bot/reports.js';
import type { VeleroClient } from '../approvals/ports.js';
import type { Preview, ProposalRequest, VeleroAction } from '../approvals/proposal.js';
import { SCHEDULE_NAME_LABEL } from '../approvals/velero-objects.js';
import type { Backup, BackupStorageLocation } from '../checks/snapshot.js';
import { drillRestoreAction } from './drill-plan.js';
import type { DrillCluster } from './ports.js';

export class DrillPreflightFailed extends Error {}
const fail = (problem: string): never => {
  throw new DrillPreflightFailed(problem);
};

const finishedAt = (b: Backup) =>
  Date.parse(b.status?.completionTimestamp ?? b.metadata.creationTimestamp ?? '') || 0;

/**
 * The newest Completed backup made by one of the cluster's schedules: its `velero.io/schedule-name`
 * names a Schedule that exists in the Velero namespace (a label alone may name a deleted schedule, or
 * another cluster's, on a backup Velero synced from a shared bucket).
 */
export function newestCompleted(backups: Backup[], schedules: ReadonlySet<string>): Backup | undefined {
  return backups
    .filter((b) => {
      const schedule = b.metadata.labels?.[SCHEDULE_NAME_LABEL];
      return schedule !== undefined && schedules.has(schedule) && b.status?.phase === 'Completed';
    })
    .sort((a, b) => finishedAt(b) - finishedAt(a))[0];
}

/** The schedule names the backups carry that are Schedules of the cluster now (one read per name). */
async function existingSchedules(
  velero: VeleroClient,
  cluster: ClusterConfig,
  ns: string,
  backups: Backup[],
): Promise<Set<string>> {
  const named = new Set<string>();
  for (const b of backups) {
    const schedule = b.metadata.labels?.[SCHEDULE_NAME_LABEL];
    if (schedule && b.status?.phase === 'Completed') named.add(schedule);
  }
  const found = await Promise.all(
    [...named].map(async (name) => ((await velero.getSchedule(cluster, ns, name)) ? name : undefined)),
  );
  return new Set(found.filter((n): n is string => n !== undefined));
}

function locationProblem(bsls: BackupStorageLocation[], name: string | undefined, ns: string) {
  const bsl = name ? bsls.find((b) => b.metadata.name === name) : bsls.find((b) => b.spec?.default);
  if (!bsl) return `Backup storage location "${name ?? 'default'}" does not exist in namespace ${ns}.`;
  if (bsl.status?.phase !== 'Available')
    return `Backup storage location "${bsl.metadata.name}" is ${bsl.status?.phase ?? 'not validated yet'}: Velero cannot read the backup.`;
  return undefined;
}

function drillNamespaces(req: ProposalRequest, backup: Backup): string[] {
  const included = backup.spec?.includedNamespaces ?? ['*'];
  const excluded = backup.spec?.excludedNamespaces ?? [];
  const all = included.length === 0 || included.includes('*');
  const inBackup = (ns: string) => (all || included.includes(ns)) && !excluded.includes(ns);
  if (req.namespaces?.length) {
    for (const ns of req.namespaces)
      if (!inBackup(ns))
        fail(`Namespace "${ns}" is not in backup ${backup.metadata.name} (it has: ${included.join(', ')}).`);
    return [...req.namespaces];
  }
  if (all)
    fail(
      `Backup ${backup.metadata.name} covers every namespace: name the ones to drill with --namespaces a,b.`,
    );
  const list = included.filter(inBackup);
  if (!list.length) fail(`Backup ${backup.metadata.name} includes no namespace to restore.`);
  return list;
}

export async function drillPlan(
  req: ProposalRequest,
  cluster: ClusterConfig,
  velero: VeleroClient,
  drills: DrillCluster | undefined,
  id: string,
  now: Date,
): Promise<{ action: VeleroAction; preview: Preview; namespaces: Record<string, string> }> {
  if (!drills) return fail('restore drills are not enabled on this dpbot worker.');
  const ns = cluster.checks.backups.veleroNamespace;
  let backup: Backup | undefined;
  if (!req.backup || req.backup === 'latest') {
    const backups = await drills.listBackups(cluster, ns);
    backup = newestCompleted(backups, await existingSchedules(velero, cluster, ns, backups));
    if (!backup)
      return fail(`${cluster.name} has no Completed backup from a schedule yet: there is nothing to drill.`);
  } else {
    backup = await velero.getBackup(cluster, ns, req.backup);
    if (!backup)
      return fail(
        `Backup "${req.backup}" does not exist in namespace ${ns} of ${cluster.name}. Try /dp backups ${cluster.name}.`,
      );
  }
  const name = backup.metadata.name;
  const phase = backup.status?.phase ?? 'New';
  if (phase !== 'Completed')
    fail(
      `Backup "${name}" is ${phase}${backup.status?.errors ? ` (${backup.status.errors} errors)` : ''}, not Completed: a drill of it would prove nothing. Pick a Completed backup (or --backup latest).`,
    );
  const problem = locationProblem(
    await velero.listBackupStorageLocations(cluster, ns),
    backup.spec?.storageLocation,
    ns,
  );
  if (problem) fail(problem);
  const sources = drillNamespaces(req, backup);
  const { action, mapping } = drillRestoreAction({
    id,
    veleroNamespace: ns,
    backup: name,
    namespaces: sources,
  });
  for (const scratch of Object.values(mapping))
    if (await drills.getNamespace(cluster, scratch))
      fail(`Namespace ${scratch} already exists; a drill never restores into a namespace it did not create.`);
  const preview: Preview = {
    backupAge: ago(backup.status?.completionTimestamp ?? backup.metadata.creationTimestamp ?? undefined, now),
    backupPhase: phase,
    backupErrors: backup.status?.errors ?? 0,
    backupWarnings: backup.status?.warnings ?? 0,
    storageLocation: backup.spec?.storageLocation,
  };
  return { action, preview, namespaces: mapping };
}
