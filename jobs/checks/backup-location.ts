/**
 * backup-location: is every Velero BackupStorageLocation reachable, as Velero last validated it?
 *
 * "Not validated recently" is judged from `spec.validationFrequency` (Velero's server default is 1m;
 * `0` disables validation): the last validation is old when it is more than 2 × the frequency + 5m
 * ago — two missed validations, with room for a Velero restart or a slow object store. With
 * validation disabled an `Available` phase is never re-checked by Velero, so it is only a warning.
 *
 * `spec.accessMode: ReadOnly` (often left so after a DR restore): Velero validates and syncs the
 * location but refuses to write backups to it, so it is `BackupLocationUnavailable` (fail) when an
 * active schedule writes there — its template's `storageLocation`, or the default location when that
 * is empty (when Schedules cannot be read, the default location is assumed written). A ReadOnly
 * location nobody writes to is fine (a DR source) and says so. `velero backup-location set` has no
 * access-mode flag (only `create` does), so the fix given is a `kubectl patch`.
 *
 * `BackupLocationShared` (warn, never alerts; a reason beyond DESIGN §6's table, listed in
 * REASON_CODES_BEYOND_DESIGN): another cluster of the fleet writes to the same provider+bucket+prefix (`snapshot.sharedBackupTargets`). Each
 * cluster's backup sync then imports the other's backups, labelled with the same schedule names, and
 * deletes Completed ones the other's GC removed from the bucket.
 */
import { formatDuration } from '../../bot/duration.js';
import type { Finding } from './finding.js';
import { listErrorFinding } from './list-error.js';
import { parseGoDuration, parseTimestamp } from './schedule-interval.js';
import type { CheckSettings } from './settings.js';
import type { BackupStorageLocation, ClusterSnapshot } from './snapshot.js';

const CHECK = 'backup-location';
type LocationFinding = Finding<typeof CHECK>;
/** Velero server flag `--store-validation-frequency` default. */
export const DEFAULT_VALIDATION_FREQUENCY_MS = 60_000;
const VALIDATION_ALLOWANCE_MS = 5 * 60_000;

export function checkBackupLocation(
  snapshot: ClusterSnapshot,
  now: Date,
  settings: CheckSettings,
): Finding[] {
  const ns = snapshot.veleroNamespace || settings.backups.veleroNamespace;
  const listed = snapshot.backupStorageLocations;
  if (!listed.ok) {
    if (listed.error.reason === 'NotFound') {
      return [
        noLocation(
          ns,
          `Velero's CRDs are not installed (velero.io/v1 BackupStorageLocation is not served), so nothing is backed up; install Velero into namespace ${ns}`,
        ),
      ];
    }
    return [listErrorFinding(CHECK, `velero.io BackupStorageLocations in namespace ${ns}`, listed.error)];
  }
  const locations = listed.items
    .filter((l) => l?.metadata?.name && (!l.metadata.namespace || l.metadata.namespace === ns))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  if (locations.length === 0) {
    return [
      noLocation(
        ns,
        `no BackupStorageLocation in namespace ${ns}, so Velero has nowhere to write backups; create one (velero backup-location create …)`,
      ),
    ];
  }
  const writers = writersByLocation(snapshot, locations, ns);
  const shared = snapshot.sharedBackupTargets ?? {};
  return locations.map((l) =>
    withSharing(
      withAccessMode(judgeLocation(l, ns, now.getTime()), l, ns, writers),
      shared[l.metadata.name] ?? [],
    ),
  );
}

/** Location name → the active schedules writing to it; `*` stands for "unknown (schedules unreadable)". */
function writersByLocation(
  snapshot: ClusterSnapshot,
  locations: BackupStorageLocation[],
  ns: string,
): Map<string, string[]> {
  const defaults = locations.filter((l) => l.spec?.default === true).map((l) => l.metadata.name);
  // No location marked default: the Velero server's --default-backup-storage-location, "default".
  const fallback = defaults.length ? defaults : ['default'];
  const out = new Map<string, string[]>();
  const add = (loc: string, who: string) => out.set(loc, [...(out.get(loc) ?? []), who]);
  if (!snapshot.schedules.ok) {
    for (const d of fallback) add(d, '*');
    return out;
  }
  for (const s of snapshot.schedules.items) {
    if (!s?.metadata?.name || (s.metadata.namespace && s.metadata.namespace !== ns)) continue;
    if (s.spec?.paused === true || s.status?.phase === 'FailedValidation') continue;
    const loc = s.spec?.template?.storageLocation;
    for (const l of typeof loc === 'string' && loc ? [loc] : fallback) add(l, s.metadata.name);
  }
  return out;
}

function withAccessMode(
  f: LocationFinding,
  bsl: BackupStorageLocation,
  ns: string,
  writers: Map<string, string[]>,
): LocationFinding {
  if (bsl.spec?.accessMode !== 'ReadOnly') return f;
  const name = bsl.metadata.name;
  const who = writers.get(name) ?? [];
  const evidence = { ...f.evidence, accessMode: 'ReadOnly', writtenBy: who.join(',') || null };
  if (who.length === 0)
    return { ...f, evidence, message: `${f.message} (ReadOnly: no active schedule writes to it)` };
  const by = who.includes('*')
    ? 'it is the default location, where backups go unless a schedule names another'
    : `schedule(s) ${who.join(', ')} write to it`;
  const fix = `kubectl -n ${ns} patch backupstoragelocation ${name} --type merge -p '{"spec":{"accessMode":"ReadWrite"}}'`;
  const text = `backup location ${name} is ReadOnly (spec.accessMode), so Velero refuses to write backups to it, yet ${by}; if the restore that needed it is over, set it back to ReadWrite: ${fix}`;
  if (f.status === 'fail') return { ...f, evidence, message: `${f.message} — also ${text}` };
  const was = f.status === 'ok' ? '' : ` — also ${f.reason}: ${f.message}`;
  return { ...f, evidence, status: 'fail', reason: 'BackupLocationUnavailable', message: `${text}${was}` };
}

function withSharing(f: LocationFinding, others: string[]): LocationFinding {
  if (others.length === 0) return f;
  const list = [...others].sort();
  const name = f.resource?.split('/').pop() ?? '';
  const text = `backup location ${name} writes to the same bucket and prefix as cluster(s) ${list.join(', ')}; Velero syncs each cluster's backups into the other (same schedule names) and a Backup deleted by one disappears from both — give each cluster its own prefix (spec.objectStorage.prefix)`;
  const evidence = { ...f.evidence, sharedWith: list.join(',') };
  if (f.status === 'ok')
    return {
      ...f,
      evidence,
      status: 'warn',
      reason: 'BackupLocationShared',
      message: `${text} — also ${f.reason}: ${f.message}`,
    };
  return { ...f, evidence, message: `${f.message} — also BackupLocationShared: ${text}` };
}

function noLocation(ns: string, message: string): LocationFinding {
  return { check: CHECK, status: 'fail', reason: 'NoBackupLocation', message, resource: ns };
}

function judgeLocation(bsl: BackupStorageLocation, ns: string, nowMs: number): LocationFinding {
  const name = bsl.metadata.name;
  const resource = `${ns}/${name}`;
  const phase = typeof bsl.status?.phase === 'string' ? bsl.status.phase : '';
  const frequencyMs = validationFrequencyMs(bsl.spec?.validationFrequency);
  const validatedRaw = bsl.status?.lastValidationTime ?? null;
  const validatedMs = parseTimestamp(validatedRaw);
  const ageMs = validatedMs === undefined ? null : nowMs - validatedMs;
  const maxAgeMs = frequencyMs > 0 ? 2 * frequencyMs + VALIDATION_ALLOWANCE_MS : null;
  const evidence = {
    phase: phase || null,
    lastValidationTime: typeof validatedRaw === 'string' ? validatedRaw : null,
    validationAgeMs: ageMs,
    validationFrequencyMs: frequencyMs,
    maxValidationAgeMs: maxAgeMs,
    default: bsl.spec?.default === true,
  };
  const describe = `kubectl -n ${ns} describe backupstoragelocation ${name}`;
  const base = { check: CHECK, resource, evidence } as const;

  if (phase === 'Unavailable') {
    const why = bsl.status?.message ? `: ${oneLine(bsl.status.message)}` : '';
    return {
      ...base,
      status: 'fail',
      reason: 'BackupLocationUnavailable',
      message: `backup location ${name} is Unavailable${why}; backups to it fail — check the bucket and credentials (${describe})`,
    };
  }
  const notValidated = (why: string): LocationFinding => ({
    ...base,
    status: 'warn',
    reason: 'BackupLocationNotValidated',
    message: `backup location ${name} ${why}`,
  });
  if (phase !== 'Available') {
    const what = phase ? `has phase "${phase}"` : 'has no phase';
    return notValidated(
      `${what}: Velero has not validated it — is the Velero server running? (kubectl -n ${ns} get deploy velero)`,
    );
  }
  if (maxAgeMs === null) {
    return notValidated(
      'is Available but validation is disabled (spec.validationFrequency: 0), so Velero no longer checks it; set a validationFrequency',
    );
  }
  if (ageMs === null) {
    const got =
      typeof validatedRaw === 'string' ? ` (lastValidationTime "${validatedRaw}" is not a time)` : '';
    return notValidated(`is Available but has no usable lastValidationTime${got}; ${describe}`);
  }
  if (ageMs > maxAgeMs) {
    return notValidated(
      `was last validated ${formatDuration(ageMs)} ago (expected every ${formatDuration(frequencyMs)}); its Available phase is stale — is the Velero server running? (kubectl -n ${ns} logs deploy/velero)`,
    );
  }
  return {
    ...base,
    status: 'ok',
    reason: 'BackupLocationAvailable',
    message: `backup location ${name} is Available (validated ${formatDuration(Math.max(0, ageMs))} ago)`,
  };
}

/** `null`/absent = Velero's default; `0`/`0s` = disabled; unreadable text falls back to the default. */
function validationFrequencyMs(value: string | null | undefined): number {
  if (typeof value !== 'string' || value.trim() === '') return DEFAULT_VALIDATION_FREQUENCY_MS;
  if (value.trim() === '0') return 0;
  return parseGoDuration(value.trim()) ?? DEFAULT_VALIDATION_FREQUENCY_MS;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
