/**
 * Does a Schedule's backup template really back up a PVC's data? Velero's resource filtering
 * (docs: "Resource filtering"; pkg/util/collections/includes_excludes.go; pkg/backup/item_backupper.go):
 * - `excludedResources` / `includedResources` (old style) and `excluded|includedNamespaceScopedResources`,
 *   `excludedClusterScopedResources` (new style) name resources as discovery resolves them: plural,
 *   singular or short name, optionally `.group` (`persistentvolumeclaims`, `pvc`, `pvc.`), any case.
 *   Excludes win; `*` in excludes drops everything; empty includes or `*` means all. Old-style
 *   includes also filter additional items (a Pod's PVCs, a PVC's PV), so both PVCs and PVs must pass.
 * - `includeClusterResources: false` drops every cluster-scoped item, PVs included (and so their
 *   native snapshots).
 * - `snapshotVolumes: false` takes no snapshots (native or CSI); data is then saved only by file-system
 *   backup: `defaultVolumesToFsBackup` (or the deprecated `defaultVolumesToRestic`). When the template
 *   leaves it unset, the Velero server's default applies and the backup controller writes the value it
 *   used into each Backup's spec — so the schedule's newest Backup says what happened.
 * - `labelSelector` / `orLabelSelectors` (never both: Velero rejects that) must match the PVC.
 * - `velero.io/exclude-from-backup=true` on a PVC excludes it from every backup.
 * Pods are not read, so per-pod opt-in file-system backup (`backup.velero.io/backup-volumes`) and PVCs
 * pulled in as a matching Pod's additional items are not seen; the message says so where it matters.
 */
import type { Backup, PersistentVolumeClaim, Schedule } from './snapshot.js';

export const EXCLUDE_LABEL = 'velero.io/exclude-from-backup';

const PVC_NAMES = new Set(['persistentvolumeclaims', 'persistentvolumeclaim', 'pvc']);
const PV_NAMES = new Set(['persistentvolumes', 'persistentvolume', 'pv']);

type Names = ReadonlySet<string>;
type Template = NonNullable<NonNullable<Schedule['spec']>['template']>;

function list(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim())
    : [];
}

/** `PVC.` / `persistentvolumeclaims.` → core group; `x.other.group` is another group's resource. */
function names(entry: string, which: Names): boolean {
  const lower = entry.toLowerCase();
  const dot = lower.indexOf('.');
  if (dot === -1) return which.has(lower);
  return lower.slice(dot + 1) === '' && which.has(lower.slice(0, dot));
}

const field = (key: string) => `spec.template.${key}`;

/** Why the template drops `which` (PVCs or PVs) by resource filters, or undefined. */
function filteredOut(t: Template, which: Names, what: string, scoped: string): string | undefined {
  for (const key of ['excludedResources', scoped.replace('included', 'excluded')]) {
    const ex = list(t[key]);
    if (ex.includes('*')) return `excludes every resource (${field(key)}: ["*"])`;
    const hit = ex.find((e) => names(e, which));
    if (hit) return `excludes ${what} (${field(key)}: ${hit})`;
  }
  const keys = what === 'persistentvolumeclaims' ? ['includedResources', scoped] : ['includedResources'];
  for (const key of keys) {
    const inc = list(t[key]);
    if (inc.length && !inc.includes('*') && !inc.some((e) => names(e, which)))
      return `does not include ${what} (${field(key)}: ${inc.join(', ')})`;
  }
  return undefined;
}

export interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
}

/** metav1.LabelSelector semantics; an empty selector matches everything. */
export function selectorMatches(sel: Selector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const key = e.key ?? '';
    const has = Object.hasOwn(labels, key);
    const values = e.values ?? [];
    if (e.operator === 'In' && !(has && values.includes(labels[key]))) return false;
    if (e.operator === 'NotIn' && has && values.includes(labels[key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

export function describeSelector(sel: Selector): string {
  const parts = [
    ...Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(sel.matchExpressions ?? []).map(
      (e) => `${e.key} ${e.operator}${e.values?.length ? ` (${e.values.join(',')})` : ''}`,
    ),
  ];
  return parts.join(',') || '(empty)';
}

function isSelector(v: unknown): v is Selector {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Why `schedule` (whose namespaces include the PVC's) does not back up the PVC's data; undefined
 * when it does. `newestBackup`: the schedule's newest Backup, for the server's fs-backup default.
 */
export function scopeGap(
  schedule: Schedule,
  pvc: PersistentVolumeClaim,
  newestBackup: Backup | undefined,
): string | undefined {
  const t: Template = schedule.spec?.template ?? {};
  const pvcGap = filteredOut(t, PVC_NAMES, 'persistentvolumeclaims', 'includedNamespaceScopedResources');
  if (pvcGap) return pvcGap;
  const pvGap = filteredOut(t, PV_NAMES, 'persistentvolumes', 'includedClusterScopedResources');
  if (pvGap) return `${pvGap}, so the volumes' PersistentVolumes (and their native snapshots) are not saved`;
  if (t.includeClusterResources === false)
    return 'sets includeClusterResources: false, so PersistentVolumes (and their native snapshots) are not saved';
  const labels = pvc.metadata.labels ?? {};
  const sel = t.labelSelector;
  const ors = Array.isArray(t.orLabelSelectors) ? t.orLabelSelectors.filter(isSelector) : [];
  if (isSelector(sel) && ors.length)
    return 'sets both labelSelector and orLabelSelectors, which Velero rejects (FailedValidation)';
  const unmatched = ' (unless a Pod it selects mounts the PVC; Pods are not read)';
  if (isSelector(sel) && !selectorMatches(sel, labels))
    return `has labelSelector ${describeSelector(sel)}, which the PVC does not match${unmatched}`;
  if (ors.length && !ors.some((s) => selectorMatches(s, labels)))
    return `has orLabelSelectors ${ors.map(describeSelector).join(' | ')}, none of which the PVC matches${unmatched}`;
  if (t.snapshotVolumes === false) {
    const fs = fsBackup(t) ?? fsBackup(newestBackup?.spec ?? {});
    if (fs === false)
      return 'sets snapshotVolumes: false without file-system backup (defaultVolumesToFsBackup), so no volume data is saved (unless Pods opt in with backup.velero.io/backup-volumes; Pods are not read)';
  }
  return undefined;
}

/** true/false when set; undefined = left to the Velero server's default. */
function fsBackup(spec: Record<string, unknown>): boolean | undefined {
  if (spec.defaultVolumesToFsBackup === true || spec.defaultVolumesToRestic === true) return true;
  if (spec.defaultVolumesToFsBackup === false) return false;
  return undefined;
}
