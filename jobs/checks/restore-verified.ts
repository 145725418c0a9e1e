/**
 * restore-verified (DESIGN §6, §10): did the newest finished restore drill pass, and recently enough?
 * Reads dpbot's own drill records (the scan puts them into the snapshot); pure.
 */
import { formatDuration } from '../../bot/duration.js';
import type { DrillRecord } from '../drill/ports.js';
import type { Finding } from './finding.js';
import type { CheckSettings } from './settings.js';
import type { ClusterSnapshot } from './snapshot.js';

const CHECK = 'restore-verified' as const;

// Records are dpbot's own, but a check never throws for bad data (STYLE 4).
const finished = (r: DrillRecord) =>
  Boolean(r) && typeof r === 'object' && r.stage === 'done' && r.verdict !== undefined;
const at = (r: DrillRecord) => Date.parse(r.finishedAt ?? r.approvedAt) || 0;

export function checkRestoreVerified(
  snapshot: ClusterSnapshot,
  now: Date,
  settings: CheckSettings,
): Finding[] {
  const drills = settings.drills;
  const records = snapshot.restoreDrills;
  // Not collected (no drill store wired): nothing is claimed either way.
  if (!drills || !records) return [];
  if (!records.ok)
    return [
      {
        check: CHECK,
        status: 'unknown',
        reason: records.error.reason === 'NotFound' ? 'ApiError' : records.error.reason,
        message: `cannot read dpbot's restore drill records (${records.error.message}); cannot verify restores`,
      },
    ];
  const newest = records.items.filter(finished).sort((a, b) => at(b) - at(a))[0];
  if (!newest) {
    if (!drills.required && drills.everyMs === undefined) return [];
    return [
      {
        check: CHECK,
        status: 'warn',
        reason: 'RestoreNeverVerified',
        message: `no restore drill has finished on ${snapshot.cluster} yet: nobody has proved its backups restore. Run /dp drill ${snapshot.cluster}.`,
      },
    ];
  }
  const age = now.getTime() - at(newest);
  const evidence = { drill: newest.id, backup: newest.backup, finishedAt: newest.finishedAt ?? null };
  if (newest.verdict === 'failed')
    return [
      {
        check: CHECK,
        status: 'fail',
        reason: 'RestoreDrillFailed',
        message: `restore drill ${newest.id} of backup ${newest.backup} failed ${formatDuration(age)} ago: ${(newest.failures ?? []).slice(0, 3).join('; ') || 'see /dp drills'}`,
        evidence,
      },
    ];
  const recovery = newest.readyMs !== undefined ? ` (recovered in ${formatDuration(newest.readyMs)})` : '';
  if (age > drills.maxAgeMs)
    return [
      {
        check: CHECK,
        status: 'warn',
        reason: 'RestoreVerificationStale',
        message: `the last passing restore drill (${newest.id}, backup ${newest.backup}) is ${formatDuration(age)} old, older than drills.maxAge ${formatDuration(drills.maxAgeMs)}`,
        evidence,
      },
    ];
  return [
    {
      check: CHECK,
      status: 'ok',
      reason: 'RestoreVerified',
      message: `restore drill ${newest.id} of backup ${newest.backup} passed ${formatDuration(age)} ago${recovery}`,
      evidence,
    },
  ];
}
