import { checkBackupLocation } from '../../../jobs/checks/backup-location.js';
import type { UnknownReason } from '../../../jobs/checks/finding.js';
import type { ReasonCode } from '../../../jobs/checks/reason-codes.js';
import type { CheckSettings } from '../../../jobs/checks/settings.js';
import type { BackupStorageLocation, ClusterSnapshot, Listed } from '../../../jobs/checks/snapshot.js';
import { emptySnapshot } from '../../fixtures/empty-snapshot.js';

// ---- small local builder (deliberately independent of test/fakes) ----
const NOW = new Date('2026-11-25T12:00:00Z');
const MIN = 60_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const SETTINGS = {
  backups: { maxAgeMs: 'auto', graceMs: 3_600_000, partialFailedIs: 'warn', veleroNamespace: 'velero' },
} as CheckSettings;

function snapshot(bsls: Listed<BackupStorageLocation>): ClusterSnapshot {
  return emptySnapshot({ backupStorageLocations: bsls }, 'store-042', NOW);
}

function bsl(
  name: string,
  spec: BackupStorageLocation['spec'] | undefined,
  status: BackupStorageLocation['status'] | undefined,
  namespace = 'velero',
): BackupStorageLocation {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'BackupStorageLocation',
    metadata: { name, namespace },
    spec: spec && { provider: 'azure', objectStorage: { bucket: 'b' }, ...spec },
    status,
  };
}

const listed = (...items: BackupStorageLocation[]): Listed<BackupStorageLocation> => ({ ok: true, items });
const failed = (reason: UnknownReason | 'NotFound', missingRule?: string): Listed<BackupStorageLocation> => ({
  ok: false,
  error: { reason, message: `simulated ${reason}`, missingRule },
});

type Case = [
  given: string,
  bsls: Listed<BackupStorageLocation>,
  status: string,
  reason: ReasonCode<'backup-location'>,
  message: RegExp,
];

describe('backup-location', () => {
  const cases: Case[] = [
    [
      'ReadOnly, Available and no schedule at all (a DR source)',
      listed(
        bsl(
          'default',
          { default: true, accessMode: 'ReadOnly' },
          { phase: 'Available', lastValidationTime: ago(MIN) },
        ),
      ),
      'ok',
      'BackupLocationAvailable',
      /default is Available \(validated 1m ago\) \(ReadOnly: no active schedule writes to it\)$/,
    ],
    [
      'ReadOnly and Unavailable',
      listed(
        bsl(
          'default',
          { default: true, accessMode: 'ReadOnly' },
          { phase: 'Unavailable', lastValidationTime: ago(MIN), message: 'denied' },
        ),
      ),
      'fail',
      'BackupLocationUnavailable',
      /is Unavailable: denied; .*\(ReadOnly: no active schedule writes to it\)$/,
    ],
    [
      'Available and validated 30s ago',
      listed(bsl('default', {}, { phase: 'Available', lastValidationTime: ago(30_000) })),
      'ok',
      'BackupLocationAvailable',
      /default is Available \(validated 30s ago\)/,
    ],
    [
      'Unavailable with Velero message',
      listed(
        bsl(
          'default',
          {},
          { phase: 'Unavailable', lastValidationTime: ago(MIN), message: 'bucket\nnot found' },
        ),
      ),
      'fail',
      'BackupLocationUnavailable',
      /is Unavailable: bucket not found; .*kubectl -n velero describe backupstoragelocation default/,
    ],
    [
      'default 1m frequency, last validated 10m ago (> 2×1m + 5m)',
      listed(bsl('default', {}, { phase: 'Available', lastValidationTime: ago(10 * MIN) })),
      'warn',
      'BackupLocationNotValidated',
      /last validated 10m ago \(expected every 1m\)/,
    ],
    [
      'validationFrequency 1h, validated 90m ago (within 2h5m)',
      listed(
        bsl(
          'default',
          { validationFrequency: '1h0m0s' },
          { phase: 'Available', lastValidationTime: ago(90 * MIN) },
        ),
      ),
      'ok',
      'BackupLocationAvailable',
      /Available/,
    ],
    [
      'validationFrequency 1h, validated 3h ago',
      listed(
        bsl(
          'default',
          { validationFrequency: '1h' },
          { phase: 'Available', lastValidationTime: ago(180 * MIN) },
        ),
      ),
      'warn',
      'BackupLocationNotValidated',
      /3h ago \(expected every 1h\)/,
    ],
    [
      'validation disabled (0s)',
      listed(
        bsl('default', { validationFrequency: '0s' }, { phase: 'Available', lastValidationTime: ago(MIN) }),
      ),
      'warn',
      'BackupLocationNotValidated',
      /validation is disabled/,
    ],
    [
      'validation disabled ("0")',
      listed(
        bsl('default', { validationFrequency: '0' }, { phase: 'Available', lastValidationTime: ago(MIN) }),
      ),
      'warn',
      'BackupLocationNotValidated',
      /validation is disabled/,
    ],
    [
      'garbage validationFrequency falls back to the 1m default',
      listed(
        bsl(
          'default',
          { validationFrequency: 'often' },
          { phase: 'Available', lastValidationTime: ago(MIN) },
        ),
      ),
      'ok',
      'BackupLocationAvailable',
      /Available/,
    ],
    [
      'no status at all',
      listed(bsl('default', {}, undefined)),
      'warn',
      'BackupLocationNotValidated',
      /has no phase: Velero has not validated it/,
    ],
    [
      'no spec and no status',
      listed(bsl('default', undefined, undefined)),
      'warn',
      'BackupLocationNotValidated',
      /has no phase/,
    ],
    [
      'unexpected phase',
      listed(bsl('default', {}, { phase: 'Weird' })),
      'warn',
      'BackupLocationNotValidated',
      /has phase "Weird"/,
    ],
    [
      'lastValidationTime is not a date',
      listed(bsl('default', {}, { phase: 'Available', lastValidationTime: 'yesterday' })),
      'warn',
      'BackupLocationNotValidated',
      /lastValidationTime "yesterday" is not a time/,
    ],
    [
      'lastValidationTime null',
      listed(bsl('default', {}, { phase: 'Available', lastValidationTime: null })),
      'warn',
      'BackupLocationNotValidated',
      /no usable lastValidationTime/,
    ],
    ['no BSL at all', listed(), 'fail', 'NoBackupLocation', /no BackupStorageLocation in namespace velero/],
    [
      'BSL only in another namespace',
      listed(bsl('default', {}, { phase: 'Available', lastValidationTime: ago(MIN) }, 'other')),
      'fail',
      'NoBackupLocation',
      /no BackupStorageLocation/,
    ],
    ['CRDs not served', failed('NotFound'), 'fail', 'NoBackupLocation', /Velero's CRDs are not installed/],
    [
      'Forbidden names the missing rule',
      failed('Forbidden', 'list velero.io/backupstoragelocations in namespace velero'),
      'unknown',
      'Forbidden',
      /not allowed to list velero.io\/backupstoragelocations in namespace velero/,
    ],
    ['cluster unreachable', failed('ClusterUnreachable'), 'unknown', 'ClusterUnreachable', /cannot reach/],
    ['timeout', failed('Timeout'), 'unknown', 'Timeout', /timed out/],
    ['API error', failed('ApiError'), 'unknown', 'ApiError', /returned an error/],
  ];
  it.each(cases.map(([g, b, s, r, m]) => [g, s, r, b, m] as const))(
    'given %s, then %s %s',
    (_g, status, reason, bsls, message) => {
      const findings = checkBackupLocation(snapshot(bsls), NOW, SETTINGS);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ check: 'backup-location', status, reason });
      expect(findings[0].message).toMatch(message);
      expect(findings[0].message).not.toContain('\n');
    },
  );

  it('gives one finding per BSL with resource <veleroNamespace>/<name>, and evidence numbers', () => {
    const findings = checkBackupLocation(
      snapshot(
        listed(
          bsl('secondary', {}, { phase: 'Unavailable', message: 'denied' }),
          bsl('default', { default: true }, { phase: 'Available', lastValidationTime: ago(MIN) }),
        ),
      ),
      NOW,
      SETTINGS,
    );
    expect(findings.map((f) => [f.resource, f.reason])).toEqual([
      ['velero/default', 'BackupLocationAvailable'],
      ['velero/secondary', 'BackupLocationUnavailable'],
    ]);
    expect(findings[0].evidence).toMatchObject({
      validationAgeMs: MIN,
      validationFrequencyMs: MIN,
      maxValidationAgeMs: 7 * MIN,
      default: true,
    });
  });

  it('never throws on malformed items', () => {
    const junk = [
      { metadata: {} },
      null,
      { metadata: { name: 'x' }, status: 'nonsense' },
    ] as unknown as BackupStorageLocation[];
    const findings = checkBackupLocation(snapshot(listed(...junk)), NOW, SETTINGS);
    expect(findings.map((f) => f.reason)).toEqual(['BackupLocationNotValidated']);
  });
});
