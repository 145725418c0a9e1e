import type { ReasonCode, SharedReasonCode } from './reason-codes.js';

/** Status of one protection control; a cluster's status is the worst of its findings. */
export type Status = 'ok' | 'warn' | 'fail' | 'unknown';

export const CHECK_NAMES = [
  'backup-location',
  'backup-freshness',
  'backup-coverage',
  'secret-sync',
  'secret-freshness',
  'secret-expiry',
  'secrets-at-rest',
  'kek-rotation',
  'volume-encryption',
  'gitops',
  'transit-encryption',
  'arc-connectivity',
  'restore-verified',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** Reasons a check could not run (DESIGN §6): never `ok`. */
export type UnknownReason = SharedReasonCode;

/**
 * A finding of check `C`; `Finding` alone is the union over every check, so `check` tells which codes
 * `reason` may hold (reason-codes.ts).
 */
export type Finding<C extends CheckName = CheckName> = { [K in C]: FindingOf<K> }[C];

interface FindingOf<C extends CheckName> {
  check: C;
  status: Status;
  /** Stable reason code, e.g. `BackupStale`. */
  reason: ReasonCode<C>;
  /** One line a person can act on. */
  message: string;
  /** `namespace/name` (or `name`) of the object the finding is about; part of the alert key. */
  resource?: string;
  evidence?: Record<string, string | number | boolean | null>;
  /** Set on a line that stands for this many `ok` findings of the same check and reason (posture.ts). */
  count?: number;
}

const SEVERITY: Record<Status, number> = { ok: 0, unknown: 1, warn: 2, fail: 3 };

/** fail > warn > unknown > ok. */
export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status = 'ok';
  for (const s of statuses) if (SEVERITY[s] > SEVERITY[worst]) worst = s;
  return worst;
}

export function compareSeverity(a: Status, b: Status): number {
  return SEVERITY[a] - SEVERITY[b];
}
