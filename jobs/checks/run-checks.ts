/**
 * Runs every registered check over one snapshot. Checks are pure and should never throw; the
 * try/catch is a last line of defence so one buggy check cannot hide the others' findings.
 */
import { checkArcConnectivity } from './arc-connectivity.js';
import { checkBackupCoverage } from './backup-coverage.js';
import { checkBackupFreshness } from './backup-freshness.js';
import { checkBackupLocation } from './backup-location.js';
import { type CheckName, type Finding, type Status, worstStatus } from './finding.js';
import { checkGitOps } from './gitops.js';
import { checkKekRotation } from './kek-rotation.js';
import { checkRestoreVerified } from './restore-verified.js';
import { checkSecretExpiry } from './secret-expiry.js';
import { checkSecretFreshness } from './secret-freshness.js';
import { checkSecretSync } from './secret-sync.js';
import { checkSecretsAtRest } from './secrets-at-rest.js';
import type { CheckSettings } from './settings.js';
import type { ClusterSnapshot } from './snapshot.js';
import { checkTransitEncryption } from './transit-encryption.js';
import { checkVolumeEncryption } from './volume-encryption.js';

export type Check = (snapshot: ClusterSnapshot, now: Date, settings: CheckSettings) => Finding[];

export interface RegisteredCheck {
  name: CheckName;
  run: Check;
  /** Reads nothing from the cluster's API server (e.g. Azure Resource Graph): runs when it is unreachable. */
  offCluster?: boolean;
}

/** Every check, in report order. Add new checks here. */
export const CHECKS: RegisteredCheck[] = [
  { name: 'backup-location', run: checkBackupLocation },
  { name: 'backup-freshness', run: checkBackupFreshness },
  { name: 'backup-coverage', run: checkBackupCoverage },
  { name: 'secret-sync', run: checkSecretSync },
  { name: 'secret-freshness', run: checkSecretFreshness },
  { name: 'secret-expiry', run: checkSecretExpiry },
  { name: 'secrets-at-rest', run: checkSecretsAtRest },
  { name: 'kek-rotation', run: checkKekRotation },
  { name: 'volume-encryption', run: checkVolumeEncryption },
  { name: 'gitops', run: checkGitOps },
  { name: 'transit-encryption', run: checkTransitEncryption },
  { name: 'arc-connectivity', run: checkArcConnectivity, offCluster: true },
  // dpbot's own drill records (Redis): the last drill's verdict holds while the API server is away.
  { name: 'restore-verified', run: checkRestoreVerified, offCluster: true },
];

export function runChecks(
  snapshot: ClusterSnapshot,
  now: Date,
  settings: CheckSettings,
  all: readonly RegisteredCheck[] = CHECKS,
): Finding[] {
  // A check turned off for this cluster (`checks: { <name>: off }`) yields no finding at all.
  const checks = all.filter(({ name }) => !settings.off?.includes(name));
  if (snapshot.unreachable) {
    // The adapter's message already says "cannot reach <host>: …"; keep only its cause.
    const cause = snapshot.unreachable.message?.replace(/^cannot reach [^:]+(:\d+)?: /, '');
    const detail = cause ? ` (${cause})` : '';
    const unreachable = checks
      .filter((c) => !c.offCluster)
      .map(
        ({ name }): Finding => ({
          check: name,
          status: 'unknown',
          reason: 'ClusterUnreachable',
          message: `cannot reach cluster ${snapshot.cluster}'s API server${detail}; cannot verify ${name}`,
          evidence: { error: snapshot.unreachable?.message ?? null },
        }),
      );
    return [
      ...unreachable,
      ...runEach(
        snapshot,
        now,
        settings,
        checks.filter((c) => c.offCluster),
      ),
    ];
  }
  return runEach(snapshot, now, settings, checks);
}

function runEach(
  snapshot: ClusterSnapshot,
  now: Date,
  settings: CheckSettings,
  checks: readonly RegisteredCheck[],
): Finding[] {
  return checks.flatMap(({ name, run }) => {
    try {
      return run(snapshot, now, settings);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return [
        {
          check: name,
          status: 'unknown',
          reason: 'ApiError',
          message: `check ${name} failed unexpectedly (${why}); cannot verify — this is a dpbot bug, please report it`,
          evidence: { error: why },
        } satisfies Finding,
      ];
    }
  });
}

/** Worst status of a cluster's findings; no findings at all proves nothing, so `unknown`. */
export function clusterStatus(findings: readonly Finding[]): Status {
  return findings.length === 0 ? 'unknown' : worstStatus(findings.map((f) => f.status));
}
