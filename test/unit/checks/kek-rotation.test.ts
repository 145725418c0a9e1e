import { checkKekRotation } from '../../../jobs/checks/kek-rotation.js';
import type { ReasonCode } from '../../../jobs/checks/reason-codes.js';
import type { Fetched } from '../../../jobs/checks/snapshot.js';
import { ago, apiserverSnapshot, DAY, failed, file, NOW, SETTINGS, text } from './apiserver-snapshot.js';

const OLD = 'sha256:71d458cfab78fc464d7007170ecf1e9d02fdcdf8d2c3a636ba61d4c93c99b426';
const NEW = 'sha256:e234a79331dafed2de104a13ebab1e489793ac144cd87d4c168db82ba41cb9a7';
const V2_PREFIX_ONLY = text(
  'apiserver_storage_transformation_operations_total{resource="secrets",status="OK",transformation_type="to_storage",transformer_prefix="k8s:enc:kms:v2:kv:"} 4\n',
);

type Case = [
  given: string,
  readyz: Fetched<string> | undefined,
  metrics: Fetched<string> | undefined,
  firstSeen: Record<string, string> | undefined,
  status: string,
  reason: ReasonCode<'kek-rotation'>,
  message: RegExp,
];

describe('kek-rotation', () => {
  const cases: Case[] = [
    [
      'rotation observed 10 days ago',
      file('readyz-kms-v2-ok.txt'),
      file('metrics-kms-v2-rotated.txt'),
      { [OLD]: ago(45 * DAY), [NEW]: ago(10 * DAY) },
      'ok',
      'KeyRotated',
      /provider azurekmsprovider rotated to key sha256:e234a79331da… 10d ago .*next rotation due by 2026-12-18T12:00:00.000Z/,
    ],
    [
      'current key observed since 33 days, over 30d + 2d',
      file('readyz-kms-v2-ok.txt'),
      file('metrics-kms-v2-rotated.txt'),
      { [OLD]: ago(80 * DAY), [NEW]: ago(33 * DAY) },
      'fail',
      'KeyRotationOverdue',
      /has used the same key sha256:e234a79331da… for 33d .*longer than kekMaxAge 30d \+ grace 2d/,
    ],
    [
      'first scan: key already there when tracking began',
      file('readyz-kms-v2-ok.txt'),
      file('metrics-kms-v2-rotated.txt'),
      { [OLD]: NOW.toISOString(), [NEW]: NOW.toISOString() },
      'ok',
      'KeyRotated',
      /first seen 0s ago when dpbot started watching .*real age is unknown .*overdue if still in use after 2026-12-28T12:00:00.000Z/,
    ],
    [
      'inherited key still in use after 40 days',
      undefined,
      file('metrics-kms-v2-identity-reads.txt'),
      { [NEW]: ago(40 * DAY) },
      'fail',
      'KeyRotationOverdue',
      /for at least 40d/,
    ],
    [
      'first-seen store unreadable',
      file('readyz-kms-v2-ok.txt'),
      file('metrics-kms-v2-rotated.txt'),
      undefined,
      'unknown',
      'ApiError',
      /no record of when that key first appeared/,
    ],
    [
      'first-seen time is garbage',
      file('readyz-kms-v2-ok.txt'),
      file('metrics-kms-v2-rotated.txt'),
      { [NEW]: 'yesterday' },
      'unknown',
      'ApiError',
      /cannot judge the key's age/,
    ],
    [
      'KMS v1 (AKS on Azure Local)',
      file('readyz-kms-v1-ok.txt'),
      file('metrics-kms-v1.txt'),
      undefined,
      'ok',
      'PlatformManagedRotation',
      /KMS v1 .*rotation cannot be observed through the Kubernetes API/,
    ],
    [
      'KMS v1 seen only in readyz',
      file('readyz-kms-v1-ok.txt'),
      file('metrics-no-encryption.txt'),
      undefined,
      'ok',
      'PlatformManagedRotation',
      /cannot be observed/,
    ],
    [
      'KMS v2 without key id metrics',
      file('readyz-no-kms.txt'),
      V2_PREFIX_ONLY,
      undefined,
      'warn',
      'KeyRotationNotObservable',
      /exposes no apiserver_envelope_encryption_key_id_hash_\* metrics .*cannot be observed/,
    ],
    [
      'KMS v1 behind the aggregated kms-providers check (automatic reload, AKS on Azure Local)',
      text(
        '[+]ping ok\n[+]kms-providers ok\n[+]poststarthook/start-encryption-provider-config-automatic-reload ok\nreadyz check passed\n',
      ),
      file('metrics-kms-v1.txt'),
      undefined,
      'ok',
      'PlatformManagedRotation',
      /KMS v1 plugin .*cannot be observed/,
    ],
    [
      'migration v1 → v2: old Secrets read with v1, new ones written with v2, no key ids',
      file('readyz-kms-v2-ok.txt'),
      text(
        [
          'apiserver_storage_transformation_operations_total{status="OK",transformation_type="from_storage",transformer_prefix="k8s:enc:kms:v1:old:"} 40',
          'apiserver_storage_transformation_operations_total{status="OK",transformation_type="to_storage",transformer_prefix="k8s:enc:kms:v2:new:"} 2',
        ].join('\n'),
      ),
      undefined,
      'warn',
      'KeyRotationNotObservable',
      /written with a KMS v2 plugin/,
    ],
    [
      '/metrics forbidden',
      file('readyz-kms-v2-ok.txt'),
      failed('Forbidden'),
      undefined,
      'unknown',
      'Forbidden',
      /`nonResourceURLs: \["\/metrics"\], verbs: \["get"\]`/,
    ],
    [
      'no KMS evidence in metrics and readyz unreadable',
      failed('Timeout'),
      file('metrics-no-encryption.txt'),
      undefined,
      'unknown',
      'Timeout',
      /reading \/readyz timed out/,
    ],
    [
      '/metrics is not Prometheus text',
      undefined,
      text('{"kind":"Status"}'),
      undefined,
      'unknown',
      'ApiError',
      /did not answer with the API server's Prometheus metrics/,
    ],
  ];

  it.each(cases)('%s', (_given, readyz, metrics, firstSeen, status, reason, message) => {
    const snapshot = apiserverSnapshot(readyz, metrics, firstSeen ? { kekFirstSeen: firstSeen } : {});
    const findings = checkKekRotation(snapshot, NOW, SETTINGS);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ check: 'kek-rotation', status, reason });
    expect(findings[0].message).toMatch(message);
  });

  it('gives no finding when the cluster has no KMS at all (secrets-at-rest reports that)', () => {
    const snapshot = apiserverSnapshot(file('readyz-no-kms.txt'), file('metrics-aescbc.txt'));
    expect(checkKekRotation(snapshot, NOW, SETTINGS)).toEqual([]);
  });

  it('reads no KMS into the no-op kms-providers check of an automatic-reload API server (K3s aescbc)', () => {
    const reload = text(
      '[+]ping ok\n[+]kms-providers ok\n[+]poststarthook/start-encryption-provider-config-automatic-reload ok\nreadyz check passed\n',
    );
    expect(checkKekRotation(apiserverSnapshot(reload, file('metrics-aescbc.txt')), NOW, SETTINGS)).toEqual(
      [],
    );
    expect(
      checkKekRotation(apiserverSnapshot(reload, file('metrics-no-encryption.txt')), NOW, SETTINGS),
    ).toEqual([]);
  });

  it('judges each provider on its own, keyed by provider name', () => {
    const line = (provider: string, hash: string) =>
      `apiserver_envelope_encryption_key_id_hash_status_last_timestamp_seconds{apiserver_id_hash="sha256:a",key_id_hash="${hash}",provider_name="${provider}"} ${NOW.getTime() / 1000 - 20}`;
    const snapshot = apiserverSnapshot(
      undefined,
      text(`${line('kv-b', 'sha256:bb')}\n${line('kv-a', 'sha256:aa')}\n`),
      {
        kekFirstSeen: { 'sha256:zz': ago(90 * DAY), 'sha256:aa': ago(40 * DAY), 'sha256:bb': ago(3 * DAY) },
      },
    );
    const findings = checkKekRotation(snapshot, NOW, SETTINGS);
    expect(findings.map((f) => [f.resource, f.status, f.reason])).toEqual([
      ['kms/kv-a', 'fail', 'KeyRotationOverdue'],
      ['kms/kv-b', 'ok', 'KeyRotated'],
    ]);
    expect(findings[0].evidence).toMatchObject({
      keyIdHash: 'sha256:aa',
      ageIsLowerBound: false,
      ageMs: 40 * DAY,
    });
  });
});
