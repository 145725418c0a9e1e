import type { ReasonCode } from '../../../jobs/checks/reason-codes.js';
import { checkSecretsAtRest } from '../../../jobs/checks/secrets-at-rest.js';
import type { Fetched } from '../../../jobs/checks/snapshot.js';
import { apiserverSnapshot, failed, file, NOW, SETTINGS, text } from './apiserver-snapshot.js';

const OPS = 'apiserver_storage_transformation_operations_total';
const configMapsOnly = text(
  `${OPS}{resource="configmaps",status="OK",transformation_type="from_storage",transformer_prefix="k8s:enc:kms:v2:azurekmsprovider:"} 12\n`,
);

type Case = [
  given: string,
  readyz: Fetched<string> | undefined,
  metrics: Fetched<string> | undefined,
  status: string,
  reason: ReasonCode<'secrets-at-rest'>,
  message: RegExp,
];

describe('secrets-at-rest', () => {
  const cases: Case[] = [
    [
      'KMS v2 healthy, Secrets read and written with it',
      file('readyz-kms-v2-ok.txt'),
      file('metrics-kms-v2-rotated.txt'),
      'ok',
      'KmsEncryption',
      /encrypted at rest by KMS v2 provider azurekmsprovider and its health check \(kms-providers\) passes/,
    ],
    [
      'KMS v1 healthy (AKS on Azure Local), series without the resource label',
      file('readyz-kms-v1-ok.txt'),
      file('metrics-kms-v1.txt'),
      'ok',
      'KmsEncryption',
      /KMS v1 provider mock-kms-provider .*kms-provider-0/,
    ],
    [
      'metrics show KMS even though readyz could not be read',
      failed('Forbidden'),
      file('metrics-kms-v2-rotated.txt'),
      'ok',
      'KmsEncryption',
      /^Secrets are encrypted at rest by KMS v2 provider azurekmsprovider$/,
    ],
    [
      'KMS v2 plugin failing',
      file('readyz-kms-v2-failed.txt'),
      file('metrics-kms-v2-rotated.txt'),
      'fail',
      'KmsProviderUnhealthy',
      /health check kms-providers is failing.*readyz\/kms-providers/,
    ],
    [
      'KMS v1 plugin failing, /metrics forbidden: readyz alone is evidence',
      file('readyz-kms-v1-failed.txt'),
      failed('Forbidden'),
      'fail',
      'KmsProviderUnhealthy',
      /kms-provider-0 is failing/,
    ],
    [
      'KMS writes, but old plaintext Secrets still read',
      file('readyz-kms-v2-ok.txt'),
      file('metrics-kms-v2-identity-reads.txt'),
      'warn',
      'PlaintextSecretsInEtcd',
      /14 reads of unencrypted Secrets .*new Secrets use KMS v2 provider azurekmsprovider .*kubectl replace/,
    ],
    [
      'aescbc key on the control plane',
      file('readyz-no-kms.txt'),
      file('metrics-aescbc.txt'),
      'warn',
      'LocalKeyEncryption',
      /new Secrets are encrypted with a local aescbc key key1/,
    ],
    [
      'KMS writes, but Secrets still stored with a local secretbox key',
      file('readyz-kms-v2-ok.txt'),
      text(
        [
          `${OPS}{resource="secrets",status="OK",transformation_type="to_storage",transformer_prefix="k8s:enc:kms:v2:kv:"} 3`,
          `${OPS}{resource="secrets",status="OK",transformation_type="from_storage",transformer_prefix="k8s:enc:secretbox:v1:"} 8`,
        ].join('\n'),
      ),
      'warn',
      'LocalKeyEncryption',
      /new Secrets use KMS v2 provider kv, but some stored Secrets are still encrypted with a local secretbox from/,
    ],
    [
      'identity first in the EncryptionConfiguration',
      file('readyz-kms-v2-ok.txt'),
      file('metrics-identity-first.txt'),
      'fail',
      'NoEncryptionProvider',
      /written to etcd unencrypted \(7 writes with prefix identity/,
    ],
    [
      'no EncryptionConfiguration: no KMS check and no transformation series',
      file('readyz-no-kms.txt'),
      file('metrics-no-encryption.txt'),
      'fail',
      'NoEncryptionProvider',
      /runs without an EncryptionConfiguration/,
    ],
    [
      'other resources encrypted, Secrets not',
      file('readyz-no-kms.txt'),
      configMapsOnly,
      'fail',
      'NoEncryptionProvider',
      /encrypts other resources but not Secrets/,
    ],
    [
      'KMS healthy but no Secret transformed yet (DESIGN: KmsEncryption is ok)',
      file('readyz-kms-v2-ok.txt'),
      file('metrics-no-encryption.txt'),
      'ok',
      'KmsEncryption',
      /configured and healthy \(kms-providers\); .*the next Secret write will/,
    ],
    [
      'automatic reload, no Secret transformed yet: kms-providers proves no KMS (it is a no-op without one)',
      text(
        '[+]ping ok\n[+]kms-providers ok\n[+]poststarthook/start-encryption-provider-config-automatic-reload ok\nreadyz check passed\n',
      ),
      file('metrics-no-encryption.txt'),
      'warn',
      'EncryptionNotObservable',
      /passes with or without a KMS plugin.*not visible yet/,
    ],
    [
      'Kubernetes ≥ 1.32, only watch-cache reads (resource="") since start: they may be Secrets',
      file('readyz-kms-v1-ok.txt'),
      text(
        `${OPS}{resource="",status="OK",transformation_type="from_storage",transformer_prefix="k8s:enc:kms:v1:azurekmsprovider:"} 61\n`,
      ),
      'ok',
      'KmsEncryption',
      /KMS v1 provider azurekmsprovider/,
    ],
    [
      '/metrics forbidden',
      file('readyz-kms-v2-ok.txt'),
      failed('Forbidden', 'get nonResourceURL /metrics'),
      'unknown',
      'Forbidden',
      /KMS health check \(kms-providers\) passes; dpbot may not read \/metrics: add the rule `nonResourceURLs: \["\/metrics"\], verbs: \["get"\]`/,
    ],
    ['/metrics timed out', undefined, failed('Timeout'), 'unknown', 'Timeout', /reading \/metrics timed out/],
    ['/metrics not collected', undefined, undefined, 'unknown', 'ApiError', /was not collected/],
    [
      'no series and /readyz forbidden: no evidence either way',
      failed('Forbidden'),
      file('metrics-no-encryption.txt'),
      'unknown',
      'Forbidden',
      /no storage transformations; .*`nonResourceURLs: \["\/readyz"\], verbs: \["get"\]`/,
    ],
    [
      '/metrics answered by a proxy page',
      file('readyz-no-kms.txt'),
      text('<html><body>Bad gateway</body></html>'),
      'unknown',
      'ApiError',
      /did not answer with the API server's Prometheus metrics/,
    ],
    ['empty readyz body and empty metrics body', text(''), text(''), 'unknown', 'ApiError', /empty body/],
  ];

  it.each(cases)('%s', (_given, readyz, metrics, status, reason, message) => {
    const findings = checkSecretsAtRest(apiserverSnapshot(readyz, metrics), NOW, SETTINGS);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ check: 'secrets-at-rest', status, reason });
    expect(findings[0].message).toMatch(message);
    expect(findings[0].resource).toBeUndefined();
  });

  it('records the Forbidden rule and the prefixes seen as evidence', () => {
    const [forbidden] = checkSecretsAtRest(apiserverSnapshot(undefined, failed('Forbidden')), NOW, SETTINGS);
    expect(forbidden.evidence?.missingRule).toBe('nonResourceURLs: ["/metrics"], verbs: ["get"]');
    const [ok] = checkSecretsAtRest(
      apiserverSnapshot(file('readyz-kms-v2-ok.txt'), file('metrics-kms-v2-rotated.txt')),
      NOW,
      SETTINGS,
    );
    expect(ok.evidence).toMatchObject({
      kmsHealthChecks: 'kms-providers ok',
      transformations: 'k8s:enc:kms:v2:azurekmsprovider: reads=190 writes=41 failures=0',
      perResource: true,
    });
  });
});
