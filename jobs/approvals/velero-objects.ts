/**
 * Builders of the exact Velero objects dpbot creates. Only fields of the real CRDs; never `status`.
 * `--from-schedule` follows Velero's BackupBuilder.FromSchedule: the spec is the schedule's template,
 * labels are the template's metadata labels (else the schedule's labels) plus `velero.io/schedule-name`,
 * the schedule's annotations are copied, and with `spec.useOwnerReferencesInBackup` the Backup is owned
 * by the Schedule (a controller owner reference, as Velero sets it).
 */
import { DPBOT_CLUSTER_ANNOTATION } from '../checks/backup-origin.js';
import type { Schedule } from '../checks/snapshot.js';
import { PROPOSAL_LABEL, type VeleroAction } from './proposal.js';

export const SCHEDULE_NAME_LABEL = 'velero.io/schedule-name';

interface Target {
  namespace: string;
  name: string;
  proposalId: string;
  /** The cluster the Backup is made on: annotated, so backup-freshness can tell it from a synced foreign one. */
  cluster?: string;
}

const madeOn = (t: Target): Record<string, string> =>
  t.cluster ? { [DPBOT_CLUSTER_ANNOTATION]: t.cluster } : {};

function meta(t: Target, labels: Record<string, string> = {}, annotations?: Record<string, string>) {
  return {
    name: t.name,
    namespace: t.namespace,
    labels: { ...labels, [PROPOSAL_LABEL]: t.proposalId },
    ...(annotations && Object.keys(annotations).length ? { annotations: { ...annotations } } : {}),
  };
}

export function restoreAction(
  t: Target,
  opts: {
    backup: string;
    namespaces?: string[];
    mapping?: Record<string, string>;
    existing: 'none' | 'update';
  },
): VeleroAction {
  const spec: Record<string, unknown> = {
    backupName: opts.backup,
    // Velero's CLI default: every namespace in the backup.
    includedNamespaces: opts.namespaces?.length ? [...opts.namespaces] : ['*'],
    existingResourcePolicy: opts.existing,
  };
  if (opts.mapping && Object.keys(opts.mapping).length) spec.namespaceMapping = { ...opts.mapping };
  return {
    kind: 'Restore',
    plural: 'restores',
    namespace: t.namespace,
    name: t.name,
    object: { apiVersion: 'velero.io/v1', kind: 'Restore', metadata: meta(t), spec },
  };
}

export function backupFromScheduleAction(t: Target, schedule: Schedule, ttl?: string): VeleroAction {
  const template = structuredClone(schedule.spec?.template ?? {}) as Record<string, unknown>;
  const templateLabels = (template.metadata as { labels?: Record<string, string> } | undefined)?.labels;
  const labels = { ...(templateLabels ?? schedule.metadata.labels ?? {}) };
  labels[SCHEDULE_NAME_LABEL] = schedule.metadata.name;
  if (ttl) template.ttl = ttl;
  return {
    kind: 'Backup',
    plural: 'backups',
    namespace: t.namespace,
    name: t.name,
    object: {
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: {
        ...meta(t, labels, { ...schedule.metadata.annotations, ...madeOn(t) }),
        ...ownedBy(schedule),
      },
      spec: template,
    },
  };
}

function ownedBy(schedule: Schedule) {
  if (schedule.spec?.useOwnerReferencesInBackup !== true || !schedule.metadata.uid) return {};
  return {
    ownerReferences: [
      {
        apiVersion: 'velero.io/v1',
        kind: 'Schedule',
        name: schedule.metadata.name,
        uid: schedule.metadata.uid,
        controller: true,
      },
    ],
  };
}

export function plainBackupAction(t: Target, opts: { namespaces?: string[]; ttl?: string }): VeleroAction {
  const spec: Record<string, unknown> = {
    includedNamespaces: opts.namespaces?.length ? [...opts.namespaces] : ['*'],
  };
  if (opts.ttl) spec.ttl = opts.ttl;
  return {
    kind: 'Backup',
    plural: 'backups',
    namespace: t.namespace,
    name: t.name,
    object: { apiVersion: 'velero.io/v1', kind: 'Backup', metadata: meta(t, {}, madeOn(t)), spec },
  };
}
