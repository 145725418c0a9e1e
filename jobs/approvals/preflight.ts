/** Restore/backup preflight (DESIGN §7.1): reads the cluster live and builds the exact action, or says why not. */
import type { ClusterConfig } from '../../bot/config.js';
import { ago } from '../../bot/reports.js';
import type { Backup, BackupStorageLocation } from '../checks/snapshot.js';
import { DrillPreflightFailed, drillPlan } from '../drill/drill-preflight.js';
import type { DrillCluster } from '../drill/ports.js';
import type { VeleroClient } from './ports.js';
import {
  actionHash,
  type Preview,
  type Proposal,
  type ProposalRequest,
  type VeleroAction,
  veleroObjectName,
} from './proposal.js';
import { backupFromScheduleAction, plainBackupAction, restoreAction } from './velero-objects.js';

export type PreflightResult = { ok: true; proposal: Proposal } | { ok: false; problem: string };

class PreflightFailed extends Error {}
const fail = (problem: string): never => {
  throw new PreflightFailed(problem);
};

function locationProblem(
  bsls: BackupStorageLocation[],
  name: string | undefined,
  ns: string,
): string | undefined {
  const bsl = name ? bsls.find((b) => b.metadata.name === name) : bsls.find((b) => b.spec?.default);
  if (!bsl)
    return name
      ? `Backup storage location "${name}" does not exist in namespace ${ns}.`
      : `There is no default backup storage location in namespace ${ns}.`;
  if (bsl.status?.phase !== 'Available')
    return `Backup storage location "${bsl.metadata.name}" is ${bsl.status?.phase ?? 'not validated yet'}${bsl.status?.message ? ` (${bsl.status.message})` : ''}: Velero cannot read or write backups there.`;
  return undefined;
}

/** Requested namespaces and mapping sources must be in the backup (when it lists them). */
function namespaceProblem(req: ProposalRequest, backup: Backup): string | undefined {
  const included = backup.spec?.includedNamespaces ?? ['*'];
  const excluded = backup.spec?.excludedNamespaces ?? [];
  const inBackup = (ns: string) =>
    (included.includes('*') || included.includes(ns)) && !excluded.includes(ns);
  for (const ns of req.namespaces ?? [])
    if (!inBackup(ns))
      return `Namespace "${ns}" is not in backup ${backup.metadata.name} (it has: ${included.join(', ')}).`;
  for (const from of Object.keys(req.mapping ?? {})) {
    if (req.namespaces?.length && !req.namespaces.includes(from))
      return `--map ${from}:… names a namespace that is not restored (--namespaces ${req.namespaces.join(',')}).`;
    if (!inBackup(from))
      return `--map ${from}:… names a namespace that is not in backup ${backup.metadata.name}.`;
  }
  const targets = Object.values(req.mapping ?? {});
  if (new Set(targets).size !== targets.length) return '--map sends two namespaces to the same target.';
  return undefined;
}

async function restorePlan(
  req: ProposalRequest,
  cluster: ClusterConfig,
  velero: VeleroClient,
  id: string,
  now: Date,
): Promise<{ action: VeleroAction; preview: Preview }> {
  const ns = cluster.checks.backups.veleroNamespace;
  const name = req.backup as string;
  const backup = await velero.getBackup(cluster, ns, name);
  if (!backup)
    return fail(
      `Backup "${name}" does not exist in namespace ${ns} of ${cluster.name}. Try /dp backups ${cluster.name}.`,
    );
  const phase = backup.status?.phase ?? 'New';
  if (phase !== 'Completed' && !(phase === 'PartiallyFailed' && req.allowPartial))
    fail(
      phase === 'PartiallyFailed'
        ? `Backup "${name}" is PartiallyFailed (${backup.status?.errors ?? 0} errors). Add --allow-partial to restore it anyway.`
        : `Backup "${name}" is ${phase}, not Completed: it cannot be restored.`,
    );
  const problem =
    locationProblem(await velero.listBackupStorageLocations(cluster, ns), backup.spec?.storageLocation, ns) ??
    namespaceProblem(req, backup);
  if (problem) fail(problem);
  const action = restoreAction(
    { namespace: ns, name: veleroObjectName(name, now), proposalId: id },
    { backup: name, namespaces: req.namespaces, mapping: req.mapping, existing: req.existing ?? 'none' },
  );
  const preview: Preview = {
    backupAge: ago(backup.status?.completionTimestamp ?? backup.metadata.creationTimestamp ?? undefined, now),
    backupPhase: phase,
    backupErrors: backup.status?.errors ?? 0,
    backupWarnings: backup.status?.warnings ?? 0,
    storageLocation: backup.spec?.storageLocation,
  };
  return { action, preview };
}

async function backupPlan(
  req: ProposalRequest,
  cluster: ClusterConfig,
  velero: VeleroClient,
  id: string,
  now: Date,
): Promise<{ action: VeleroAction; preview: Preview }> {
  const ns = cluster.checks.backups.veleroNamespace;
  let action: VeleroAction;
  if (req.schedule) {
    const schedule = await velero.getSchedule(cluster, ns, req.schedule);
    if (!schedule)
      return fail(`Schedule "${req.schedule}" does not exist in namespace ${ns} of ${cluster.name}.`);
    action = backupFromScheduleAction(
      { namespace: ns, name: veleroObjectName(req.schedule, now), proposalId: id, cluster: cluster.name },
      schedule,
      req.ttl,
    );
  } else {
    action = plainBackupAction(
      { namespace: ns, name: veleroObjectName('manual', now), proposalId: id, cluster: cluster.name },
      { namespaces: req.namespaces, ttl: req.ttl },
    );
  }
  const location = (action.object.spec as { storageLocation?: string }).storageLocation;
  const problem = locationProblem(await velero.listBackupStorageLocations(cluster, ns), location, ns);
  if (problem) fail(problem);
  return { action, preview: { storageLocation: location ?? 'default' } };
}

/** Reads the cluster; a failed check is `{ ok: false }` with a sentence for chat. Other errors throw. */
export async function runPreflight(
  id: string,
  req: ProposalRequest,
  cluster: ClusterConfig,
  velero: VeleroClient,
  now: Date,
  drills?: DrillCluster,
): Promise<PreflightResult> {
  try {
    const plan: { action: VeleroAction; preview: Preview; namespaces?: Record<string, string> } =
      req.kind === 'drill'
        ? await drillPlan(req, cluster, velero, drills, id, now)
        : await (req.kind === 'restore' ? restorePlan : backupPlan)(req, cluster, velero, id, now);
    // A drill asked for in chat always needs an approver; a scheduled one needs drills.approvals (maybe 0).
    const required =
      req.kind === 'drill'
        ? req.scheduled
          ? cluster.drills.approvals
          : Math.max(1, cluster.drills.approvals)
        : cluster.approvals.required;
    return {
      ok: true,
      proposal: {
        id,
        kind: req.kind,
        cluster: cluster.name,
        requester: req.requester,
        requesterName: req.requesterName,
        reason: req.reason,
        action: plan.action,
        hash: actionHash(plan.action),
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + cluster.approvals.expiresAfterMs).toISOString(),
        required,
        preview: plan.preview,
        allowPartial: req.allowPartial,
        card: req.card,
        ...(plan.namespaces
          ? { drill: { namespaces: plan.namespaces, ...(req.scheduled ? { scheduled: true } : {}) } }
          : {}),
        status: 'pending',
        approvals: [],
      },
    };
  } catch (err) {
    if (err instanceof PreflightFailed || err instanceof DrillPreflightFailed)
      return { ok: false, problem: err.message };
    throw err;
  }
}
