import type { CheckName } from './finding.js';

/** Per-cluster check settings, durations already in milliseconds (bot/config.ts converts them). */
export interface CheckSettings {
  backups: {
    /** `auto` = 2 × the schedule's cron interval + grace. */
    maxAgeMs: number | 'auto';
    graceMs: number;
    partialFailedIs: 'ok' | 'warn' | 'fail';
    veleroNamespace: string;
  };
  secretSync: {
    rotationPollIntervalMs: number;
    jitterMs: number;
    expiryWarningMs: number;
    required: boolean;
  };
  encryption: {
    kekMaxAgeMs: number;
    kekGraceMs: number;
    attestedStorageClasses: { name: string; evidence: string }[];
  };
  gitops: { required: boolean };
  /**
   * transit-encryption: `required` makes TransitPlaintext and IngressWithoutTls fail instead of warn;
   * `attested` namespaces count as encrypted with the evidence shown.
   * @defaultValue `{ required: false, attested: [] }`
   */
  transit?: { required: boolean; attested: { namespace: string; evidence: string }[] };
  /** Checks turned off for this cluster (`checks: { <check>: off }`): the runner skips them. @defaultValue none */
  off?: readonly CheckName[];
  /** restore-verified (DESIGN §10); optional so older settings objects still type-check. */
  drills?: DrillSettings;
}

export interface DrillSettings {
  /** Scheduled drill interval; undefined = `every: off`. */
  everyMs?: number;
  maxAgeMs: number;
  /** How long verification may wait for PVCs/workloads/Pods after the Restore finished. */
  timeoutMs: number;
  required: boolean;
  /** Approvals a scheduled drill needs (0 = unattended); a drill asked for in chat needs at least 1. */
  approvals: number;
}
