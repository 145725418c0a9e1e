/**
 * Every reason code a check may emit (DESIGN §6), one `as const` list per check: `Finding<C>` only takes
 * its check's codes plus the shared "could not run" ones, so a typo or a code borrowed from another check
 * does not compile, and neither does an alert rule naming a code that does not exist. Codes are
 * user-facing (reports show them, alert keys and stored postures carry them): add, never rename.
 * reason-codes.test.ts holds every code here to DESIGN's table or to REASON_CODES_BEYOND_DESIGN.
 */
import type { CheckName } from './finding.js';

/** A check that could not run (DESIGN §6, list-error.ts / fetch-error.ts): `unknown`, never `ok`. */
export const SHARED_REASON_CODES = ['ClusterUnreachable', 'Forbidden', 'Timeout', 'ApiError'] as const;
export type SharedReasonCode = (typeof SHARED_REASON_CODES)[number];

/** Per check, in DESIGN's order: its `ok` code first, then the rest, then codes beyond DESIGN. */
export const REASON_CODES = {
  'backup-location': [
    'BackupLocationAvailable',
    'BackupLocationUnavailable',
    'BackupLocationNotValidated',
    'NoBackupLocation',
    'BackupLocationShared',
  ],
  'backup-freshness': [
    'BackupFresh',
    'BackupStale',
    'NeverSucceeded',
    'BackupFailed',
    'BackupPartiallyFailed',
    'BackupStuck',
    'SchedulePaused',
    'NoSchedule',
  ],
  'backup-coverage': ['AllNamespacesCovered', 'NamespaceNotBackedUp'],
  'secret-sync': [
    'SecretSynced',
    'SecretSyncFailed',
    'SecretSyncPartial',
    'SecretSyncPending',
    'SyncControllerDown',
    'SecretStoreNotInstalled',
  ],
  'secret-freshness': ['SecretInSync', 'SecretSyncStale'],
  'secret-expiry': ['SecretNotExpiring', 'SecretNearExpiry', 'SecretExpired', 'SecretDisabled'],
  'secrets-at-rest': [
    'KmsEncryption',
    'KmsProviderUnhealthy',
    'PlaintextSecretsInEtcd',
    'NoEncryptionProvider',
    'LocalKeyEncryption',
    'EncryptionNotObservable',
  ],
  'kek-rotation': ['KeyRotated', 'KeyRotationOverdue', 'PlatformManagedRotation', 'KeyRotationNotObservable'],
  'volume-encryption': ['VolumesEncrypted', 'VolumeNotEncrypted', 'VolumeEncryptionUnknown'],
  gitops: ['GitOpsReady', 'GitOpsSuspended', 'GitOpsNotReady', 'GitOpsBehind', 'GitOpsNotInstalled'],
  'transit-encryption': [
    'TransitEncrypted',
    'TransitPlaintext',
    'MtlsPermissive',
    'IngressWithoutTls',
    'TransitNotRequired',
  ],
  'arc-connectivity': [
    'ArcConnected',
    'ArcDisconnected',
    'SecretStoreExtensionFailed',
    'SecretStoreExtensionMissing',
    'FluxExtensionFailed',
    'FluxNonCompliant',
  ],
  'restore-verified': [
    'RestoreVerified',
    'RestoreDrillFailed',
    'RestoreVerificationStale',
    'RestoreNeverVerified',
  ],
} as const satisfies Record<CheckName, readonly string[]>;

/** The codes check `C` may emit: its own and the shared ones. */
export type ReasonCode<C extends CheckName> = (typeof REASON_CODES)[C][number] | SharedReasonCode;
/** Any code of any check. */
export type AnyReasonCode = ReasonCode<CheckName>;

type BeyondDesign = {
  [C in CheckName]: { check: C; code: (typeof REASON_CODES)[C][number]; documentedIn: string };
}[CheckName];

/**
 * Codes emitted that DESIGN §6's table does not list (yet), each with the file that documents it. Add a
 * code here only with that documentation; the test fails for a code in neither place.
 */
export const REASON_CODES_BEYOND_DESIGN: readonly BeyondDesign[] = [
  {
    check: 'backup-location',
    code: 'BackupLocationShared',
    documentedIn:
      'jobs/checks/backup-location.ts (warn, never alerts: another cluster writes the same bucket+prefix)',
  },
  {
    check: 'secrets-at-rest',
    code: 'EncryptionNotObservable',
    documentedIn:
      'jobs/checks/secrets-at-rest.ts (warn, never alerts: automatic reload hides which provider encrypts)',
  },
];
