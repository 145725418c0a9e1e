/**
 * backup-coverage: every namespace holding PVCs should be included by at least one active Velero
 * Schedule that really backs up its PVCs' data: namespaces first, then each PVC against the
 * template's resource filters, label selectors, snapshotVolumes/file-system backup and the
 * `velero.io/exclude-from-backup=true` label (backup-template-scope.ts). A namespace is covered when
 * every one of its PVCs is backed up by some active schedule.
 *
 * Decisions where DESIGN is silent:
 * - The Velero namespace itself is skipped: it holds Velero's own state, not workload data.
 * - Paused schedules and schedules Velero rejected (`FailedValidation`) cover nothing — they make
 *   no backups. The message says when only such a schedule would include the namespace.
 * - `includedNamespaces` empty or containing `*` means all; other entries are Velero's namespace
 *   globs (`*`, `?`, `[abc]`, `[a-z]`, Velero ≥ 1.18). `excludedNamespaces` wins over includes.
 * - Namespaces in phase `Terminating` (when the namespace list is readable) are skipped.
 * - Velero not installed (Schedule CRD not served) = no schedules: every PVC namespace is uncovered.
 * - A namespace labelled `velero.io/exclude-from-backup=true` is uncovered: Velero's backup controller
 *   adds such namespaces to every backup's excludedNamespaces.
 */

import { EXCLUDE_LABEL, scopeGap } from './backup-template-scope.js';
import type { Finding } from './finding.js';
import { listErrorFinding } from './list-error.js';
import type { CheckSettings } from './settings.js';
import type { Backup, ClusterSnapshot, PersistentVolumeClaim, Schedule } from './snapshot.js';

const CHECK = 'backup-coverage';

export function checkBackupCoverage(
  snapshot: ClusterSnapshot,
  _now: Date,
  settings: CheckSettings,
): Finding[] {
  const ns = snapshot.veleroNamespace || settings.backups.veleroNamespace;
  const pvcs = snapshot.persistentVolumeClaims;
  if (!pvcs.ok) return [listErrorFinding(CHECK, 'PersistentVolumeClaims in all namespaces', pvcs.error)];
  const listed = snapshot.schedules;
  if (!listed.ok && listed.error.reason !== 'NotFound') {
    return [listErrorFinding(CHECK, `velero.io Schedules in namespace ${ns}`, listed.error)];
  }
  const veleroMissing = !listed.ok;
  const schedules = (listed.ok ? listed.items : []).filter(
    (s) => s?.metadata?.name && (!s.metadata.namespace || s.metadata.namespace === ns),
  );
  const active = schedules.filter((s) => !isInactive(s));
  const inactive = schedules.filter(isInactive);

  const terminating = new Set(
    snapshot.namespaces.ok
      ? snapshot.namespaces.items
          .filter((n) => n?.status?.phase === 'Terminating')
          .map((n) => n.metadata?.name)
      : [],
  );
  const byNs = new Map<string, PersistentVolumeClaim[]>();
  for (const pvc of pvcs.items) {
    const where = pvc?.metadata?.namespace;
    if (!where || where === ns || terminating.has(where)) continue;
    byNs.set(where, [...(byNs.get(where) ?? []), pvc]);
  }
  const counts = new Map([...byNs].map(([n, list]) => [n, list.length]));
  const excludedNs = new Set(
    snapshot.namespaces.ok
      ? snapshot.namespaces.items
          .filter((n) => n?.metadata?.labels?.[EXCLUDE_LABEL] === 'true')
          .map((n) => n.metadata.name)
      : [],
  );
  const newest = newestBackups(snapshot.backups.ok ? snapshot.backups.items : []);
  const gaps = new Map<string, Gap>();
  for (const [n, list] of byNs) {
    const including = active.filter((s) => covers(s, n));
    if (including.length === 0) continue;
    const gap: Gap | undefined = excludedNs.has(n)
      ? {
          text: `the namespace is labelled ${EXCLUDE_LABEL}=true, so Velero leaves it out of every backup`,
          fix: `if it should be backed up, remove the label: kubectl label namespace ${n} ${EXCLUDE_LABEL}-`,
        }
      : pvcGaps(n, list, including, newest, snapshot.cluster);
    if (gap) gaps.set(n, gap);
  }

  const uncovered = [...counts.keys()].sort().filter((n) => gaps.has(n) || !active.some((s) => covers(s, n)));
  if (uncovered.length === 0) {
    const total = counts.size;
    return [
      {
        check: CHECK,
        status: 'ok',
        reason: 'AllNamespacesCovered',
        message: total
          ? `all ${total} namespace(s) with PVCs are included in an active Velero schedule`
          : `no namespace outside ${ns} has PVCs, so there is nothing to cover`,
        evidence: { namespacesWithPvcs: total, activeSchedules: active.length },
      },
    ];
  }
  return uncovered.map((n) => {
    const gap = gaps.get(n);
    if (gap) {
      return {
        check: CHECK,
        status: 'warn',
        reason: 'NamespaceNotBackedUp',
        message: `namespace ${n} has ${counts.get(n)} PVC(s) and is included in an active Velero schedule, but ${gap.text}; ${gap.fix}`,
        resource: n,
        evidence: { pvcs: counts.get(n) ?? 0, activeSchedules: active.length },
      };
    }
    const why = veleroMissing ? ' (Velero is not installed)' : explainGap(n, active, inactive);
    return {
      check: CHECK,
      status: 'warn',
      reason: 'NamespaceNotBackedUp',
      message: `namespace ${n} has ${counts.get(n)} PVC(s) but no active Velero schedule includes it${why}; add it to a schedule's includedNamespaces, or run /dp backup ${snapshot.cluster} --namespaces ${n} for a one-off backup`,
      resource: n,
      evidence: { pvcs: counts.get(n) ?? 0, activeSchedules: active.length },
    };
  });
}

interface Gap {
  /** Why the namespace's data is not backed up. */
  text: string;
  /** What to do about it. */
  fix: string;
}

/** Why some PVC of the namespace is backed up by none of the schedules including it; undefined if all are. */
function pvcGaps(
  ns: string,
  pvcs: PersistentVolumeClaim[],
  including: Schedule[],
  newest: Map<string, Backup>,
  cluster: string,
): Gap | undefined {
  const missed: string[] = [];
  let first: Gap | undefined;
  for (const pvc of pvcs) {
    const name = pvc.metadata?.name ?? '?';
    if (pvc.metadata?.labels?.[EXCLUDE_LABEL] === 'true') {
      missed.push(name);
      first ??= {
        text: `PVC ${name} is labelled ${EXCLUDE_LABEL}=true, so Velero leaves it out of every backup`,
        fix: `if it should be backed up, remove the label: kubectl -n ${ns} label pvc ${name} ${EXCLUDE_LABEL}-`,
      };
      continue;
    }
    const why = including.map((s) => ({ s, gap: scopeGap(s, pvc, newest.get(s.metadata.name)) }));
    if (why.every((w) => w.gap)) {
      missed.push(name);
      const names = why.map((w) => w.s.metadata.name);
      first ??= {
        text: why.map((w) => `schedule ${w.s.metadata.name} ${w.gap}`).join('; '),
        fix: `fix the template of ${names.join(', ')} (velero schedule describe ${names[0]}), or run /dp backup ${cluster} --namespaces ${ns} for a one-off backup`,
      };
    }
  }
  if (missed.length === 0 || !first) return undefined;
  const which =
    missed.length === pvcs.length
      ? 'none of its PVCs is backed up'
      : `${missed.length} of its ${pvcs.length} PVCs (${missed.join(', ')}) ${missed.length === 1 ? 'is' : 'are'} not backed up`;
  return { text: `${which}: ${first.text}`, fix: first.fix };
}

/** Each schedule's newest Backup by startTimestamp (the one whose spec shows the server's defaults). */
function newestBackups(backups: Backup[]): Map<string, Backup> {
  const out = new Map<string, Backup>();
  const t = (b: Backup) => Date.parse(b.status?.startTimestamp ?? '') || 0;
  for (const b of backups) {
    const s = b?.metadata?.labels?.['velero.io/schedule-name'];
    if (!s || !b.spec) continue;
    const seen = out.get(s);
    if (!seen || t(b) > t(seen)) out.set(s, b);
  }
  return out;
}

function isInactive(s: Schedule): boolean {
  return s.spec?.paused === true || s.status?.phase === 'FailedValidation';
}

function explainGap(namespace: string, active: Schedule[], inactive: Schedule[]): string {
  const excludedBy = active.filter((s) => includes(s, namespace)).map((s) => s.metadata.name);
  if (excludedBy.length) return ` (excluded by ${excludedBy.join(', ')})`;
  const idle = inactive.filter((s) => covers(s, namespace)).map((s) => s.metadata.name);
  if (idle.length) return ` (only paused or invalid schedule(s) ${idle.join(', ')} include it)`;
  if (active.length === 0) return ' (there is no active schedule)';
  return '';
}

function covers(s: Schedule, namespace: string): boolean {
  const excluded = stringList(s.spec?.template?.excludedNamespaces);
  return includes(s, namespace) && !excluded.some((p) => matchesGlob(p, namespace));
}

function includes(s: Schedule, namespace: string): boolean {
  const included = stringList(s.spec?.template?.includedNamespaces);
  return included.length === 0 || included.some((p) => p === '*' || matchesGlob(p, namespace));
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

/** Velero namespace glob; a malformed pattern (unclosed `[`) matches nothing, as Velero rejects it. */
export function matchesGlob(pattern: string, name: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end <= i + 1) return false;
      re += `[${pattern.slice(i + 1, end).replace(/[\\^\]]/g, '\\$&')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  try {
    return new RegExp(`${re}$`).test(name);
  } catch {
    return false;
  }
}
