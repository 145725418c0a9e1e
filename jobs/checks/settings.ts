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
}
