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
}
