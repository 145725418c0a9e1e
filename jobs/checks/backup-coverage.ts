/**
 * backup-coverage: every namespace holding PVCs should be included by at least one active Velero
 * Schedule. Coverage is judged per namespace (label selectors and resource filters are not read).
 *
 * Decisions where DESIGN is silent:
 * - The Velero namespace itself is skipped: it holds Velero's own state, not workload data.
 * - Paused schedules and schedules Velero rejected (`FailedValidation`) cover nothing — they make
 *   no backups. The message says when only such a schedule would include the namespace.
 * - `includedNamespaces` empty or containing `*` means all; other entries are Velero's namespace
 *   globs (`*`, `?`, `[abc]`, `[a-z]`, Velero ≥ 1.18). `excludedNamespaces` wins over includes.
 * - Namespaces in phase `Terminating` (when the namespace list is readable) are skipped.
 * - Velero not installed (Schedule CRD not served) = no schedules: every PVC namespace is uncovered.
 */
import type { Finding } from './finding.js';
import { listErrorFinding } from './list-error.js';
import type { CheckSettings } from './settings.js';
import type { ClusterSnapshot, Schedule } from './snapshot.js';

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
  const counts = new Map<string, number>();
  for (const pvc of pvcs.items) {
    const where = pvc?.metadata?.namespace;
    if (!where || where === ns || terminating.has(where)) continue;
    counts.set(where, (counts.get(where) ?? 0) + 1);
  }

  const uncovered = [...counts.keys()].sort().filter((n) => !active.some((s) => covers(s, n)));
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
