/**
 * backup-location: is every Velero BackupStorageLocation reachable, as Velero last validated it?
 *
 * "Not validated recently" is judged from `spec.validationFrequency` (Velero's server default is 1m;
 * `0` disables validation): the last validation is old when it is more than 2 × the frequency + 5m
 * ago — two missed validations, with room for a Velero restart or a slow object store. With
 * validation disabled an `Available` phase is never re-checked by Velero, so it is only a warning.
 */
import { formatDuration } from '../../bot/duration.js';
import type { Finding } from './finding.js';
import { listErrorFinding } from './list-error.js';
import { parseGoDuration, parseTimestamp } from './schedule-interval.js';
import type { CheckSettings } from './settings.js';
import type { BackupStorageLocation, ClusterSnapshot } from './snapshot.js';

const CHECK = 'backup-location';
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
  return locations.map((l) => judgeLocation(l, ns, now.getTime()));
}

function noLocation(ns: string, message: string): Finding {
  return { check: CHECK, status: 'fail', reason: 'NoBackupLocation', message, resource: ns };
}

function judgeLocation(bsl: BackupStorageLocation, ns: string, nowMs: number): Finding {
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
  const notValidated = (why: string): Finding => ({
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
