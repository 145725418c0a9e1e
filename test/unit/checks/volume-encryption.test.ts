import type { UnknownReason } from '../../../jobs/checks/finding.js';
import type { ReasonCode } from '../../../jobs/checks/reason-codes.js';
import type { CheckSettings } from '../../../jobs/checks/settings.js';
import type { Listed, PersistentVolumeClaim, StorageClass } from '../../../jobs/checks/snapshot.js';
import { checkVolumeEncryption } from '../../../jobs/checks/volume-encryption.js';
import { apiserverSnapshot, NOW, SETTINGS } from './apiserver-snapshot.js';

const DEFAULT = { 'storageclass.kubernetes.io/is-default-class': 'true' };

function sc(
  name: string,
  provisioner?: string,
  parameters?: Record<string, string>,
  annotations?: Record<string, string>,
  creationTimestamp?: string,
): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name,
      ...(annotations ? { annotations } : {}),
      ...(creationTimestamp ? { creationTimestamp } : {}),
    },
    ...(provisioner ? { provisioner } : {}),
    ...(parameters ? { parameters } : {}),
  };
}
function pvc(name: string, storageClassName?: string | null, namespace = 'pos'): PersistentVolumeClaim {
  return {
    metadata: { name, namespace },
    spec: storageClassName === undefined ? {} : { storageClassName },
  };
}
const listed = <T>(...items: T[]): Listed<T> => ({ ok: true, items });
const broken = <T>(reason: UnknownReason | 'NotFound'): Listed<T> => ({
  ok: false,
  error: { reason, message: `simulated ${reason}`, missingRule: 'list storage.k8s.io storageclasses' },
});

function run(
  classes: Listed<StorageClass> | undefined,
  claims: Listed<PersistentVolumeClaim>,
  attested: CheckSettings['encryption']['attestedStorageClasses'] = [],
) {
  const settings = { ...SETTINGS, encryption: { ...SETTINGS.encryption, attestedStorageClasses: attested } };
  return checkVolumeEncryption(
    apiserverSnapshot(undefined, undefined, {
      persistentVolumeClaims: claims,
      ...(classes ? { storageClasses: classes } : {}),
    }),
    NOW,
    settings,
  );
}

type Case = [
  given: string,
  sc: StorageClass,
  status: string,
  reason: ReasonCode<'volume-encryption'>,
  message: RegExp,
];

describe('volume-encryption: provisioners', () => {
  const cases: Case[] = [
    [
      'Azure Disk, platform key',
      sc('managed-csi', 'disk.csi.azure.com', { skuName: 'Premium_LRS' }),
      'ok',
      'VolumesEncrypted',
      /platform-managed key/,
    ],
    [
      'Azure Disk with a disk encryption set (key matched case-insensitively)',
      sc('cmk', 'disk.csi.azure.com', {
        DiskEncryptionSetID:
          '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/diskEncryptionSets/des-store',
      }),
      'ok',
      'VolumesEncrypted',
      /customer-managed key \(disk encryption set des-store\)/,
    ],
    [
      'AKS Arc disk CSI: BitLocker on the host volumes (DESIGN §6 known provisioners)',
      sc('default', 'disk.csi.akshci.com'),
      'ok',
      'VolumesEncrypted',
      /AKS on Azure Local disks: .*encrypted by BitLocker on the host volumes/,
    ],
    [
      'GCE PD',
      sc('standard-rwo', 'pd.csi.storage.gke.io'),
      'ok',
      'VolumesEncrypted',
      /Google Cloud by default/,
    ],
    [
      'EBS encrypted',
      sc('gp3', 'ebs.csi.aws.com', { encrypted: 'true', kmsKeyId: 'arn:aws:kms:x' }),
      'ok',
      'VolumesEncrypted',
      /EBS encryption .*kmsKeyId set/,
    ],
    [
      'EBS not encrypted',
      sc('gp3', 'ebs.csi.aws.com', { type: 'gp3' }),
      'fail',
      'VolumeNotEncrypted',
      /EBS volumes without encrypted: "true".*attest/,
    ],
    [
      'Longhorn encrypted',
      sc('longhorn-crypto', 'driver.longhorn.io', { encrypted: 'true' }),
      'ok',
      'VolumesEncrypted',
      /LUKS/,
    ],
    [
      'Longhorn plain',
      sc('longhorn', 'driver.longhorn.io', { numberOfReplicas: '3' }),
      'fail',
      'VolumeNotEncrypted',
      /Longhorn volumes without/,
    ],
    [
      'Ceph RBD via Rook, encrypted',
      sc('ceph-block', 'rook-ceph.rbd.csi.ceph.com', { encrypted: 'true' }),
      'ok',
      'VolumesEncrypted',
      /Ceph RBD images encrypted/,
    ],
    [
      'Ceph RBD encrypted: "false"',
      sc('ceph-block', 'rbd.csi.ceph.com', { encrypted: 'false' }),
      'fail',
      'VolumeNotEncrypted',
      /Ceph RBD images without/,
    ],
    [
      'local-path',
      sc('local-path', 'rancher.io/local-path'),
      'warn',
      'VolumeEncryptionUnknown',
      /node-local storage .*attestedStorageClasses/,
    ],
    [
      'no-provisioner',
      sc('local-storage', 'kubernetes.io/no-provisioner'),
      'warn',
      'VolumeEncryptionUnknown',
      /node-local storage/,
    ],
    ['hostpath', sc('hostpath', 'docker.io/hostpath'), 'warn', 'VolumeEncryptionUnknown', /node-local/],
    [
      'unknown driver',
      sc('nfs', 'nfs.csi.k8s.io'),
      'warn',
      'VolumeEncryptionUnknown',
      /provisioner nfs.csi.k8s.io is not one dpbot knows/,
    ],
    [
      'StorageClass without provisioner (malformed)',
      sc('odd'),
      'warn',
      'VolumeEncryptionUnknown',
      /names no provisioner/,
    ],
  ];
  it.each(cases)('%s', (_given, klass, status, reason, message) => {
    const findings = run(listed(klass), listed(pvc('data', klass.metadata.name)));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      check: 'volume-encryption',
      status,
      reason,
      resource: `storageclass/${klass.metadata.name}`,
    });
    expect(findings[0].message).toMatch(message);
    expect(findings[0].message).toContain('1 PVC (pos/data)');
  });
});

describe('volume-encryption: grouping, defaults, attestation, errors', () => {
  it('groups PVCs per StorageClass and resolves a missing class name to the newest default class', () => {
    const findings = run(
      listed(
        sc('old-default', 'rancher.io/local-path', undefined, DEFAULT, '2026-01-01T00:00:00Z'),
        sc('default', 'disk.csi.azure.com', undefined, DEFAULT, '2026-06-01T00:00:00Z'),
        sc('unused', 'nfs.csi.k8s.io'),
      ),
      listed(
        pvc('a'),
        pvc('b', undefined, 'kitchen'),
        pvc('c', null),
        pvc('d', 'default'),
        pvc('e', 'old-default'),
      ),
    );
    expect(findings.map((f) => [f.resource, f.status, f.evidence?.pvcCount])).toEqual([
      ['storageclass/default', 'ok', 4],
      ['storageclass/old-default', 'warn', 1],
    ]);
    expect(findings[0].message).toContain('4 PVCs (kitchen/b, pos/a, pos/c, +1 more)');
  });

  it('shows the evidence of an attested class, even over a known-unencrypted provisioner', () => {
    const [f] = run(listed(sc('gp3', 'ebs.csi.aws.com')), listed(pvc('data', 'gp3')), [
      { name: 'gp3', evidence: 'EBS encryption by default is on for account 1234 (ticket SEC-42)' },
    ]);
    expect(f).toMatchObject({
      status: 'ok',
      reason: 'VolumesEncrypted',
      evidence: { attested: expect.any(String) },
    });
    expect(f.message).toBe(
      'StorageClass gp3 used by 1 PVC (pos/data) is attested encrypted: EBS encryption by default is on for account 1234 (ticket SEC-42)',
    );
  });

  it('attests a class name even when the class object is missing', () => {
    const [f] = run(listed(), listed(pvc('data', 'default')), [
      { name: 'default', evidence: 'BitLocker on Azure Local CSVs' },
    ]);
    expect(f).toMatchObject({ status: 'ok', reason: 'VolumesEncrypted' });
    expect(f.message).toMatch(/BitLocker on Azure Local CSVs$/);
  });

  it.each([
    [
      'a class that does not exist',
      listed(sc('x', 'disk.csi.azure.com')),
      pvc('data', 'gone'),
      /StorageClass gone .*does not exist/,
      'storageclass/gone',
    ],
    [
      'storageClassName "" (pre-provisioned PV)',
      listed(sc('x', 'disk.csi.azure.com', undefined, DEFAULT)),
      pvc('data', ''),
      /use no StorageClass/,
      'storageclass/(none)',
    ],
    [
      'no class and no default class',
      listed(sc('x', 'disk.csi.azure.com')),
      pvc('data'),
      /use no StorageClass/,
      'storageclass/(none)',
    ],
  ])('warns for %s', (_given, classes, claim, message, resource) => {
    const [f] = run(classes, listed(claim));
    expect(f).toMatchObject({ status: 'warn', reason: 'VolumeEncryptionUnknown', resource });
    expect(f.message).toMatch(message);
  });

  it('is ok with nothing to protect', () => {
    expect(run(listed(), listed())).toEqual([
      {
        check: 'volume-encryption',
        status: 'ok',
        reason: 'VolumesEncrypted',
        message: expect.stringMatching(/no PersistentVolumeClaims/),
      },
    ]);
  });

  it('skips malformed PVCs (no metadata, no spec) without crashing', () => {
    const claims = listed(
      {} as PersistentVolumeClaim,
      { metadata: { name: 'bare' } } as PersistentVolumeClaim,
    );
    const [f] = run(listed(sc('d', 'disk.csi.azure.com', undefined, DEFAULT)), claims);
    expect(f).toMatchObject({ status: 'ok', resource: 'storageclass/d' });
    expect(f.message).toContain('1 PVC (default/bare)');
  });

  it.each([
    ['Forbidden', 'unknown', 'Forbidden', /not allowed to list storage.k8s.io storageclasses/],
    ['Timeout', 'unknown', 'Timeout', /timed out/],
    ['NotFound', 'unknown', 'ApiError', /returned an error/],
  ] as const)('StorageClasses %s → %s', (error, status, reason, message) => {
    const [f] = run(broken(error), listed(pvc('data', 'x')));
    expect(f).toMatchObject({ status, reason });
    expect(f.message).toMatch(message);
  });

  it('says unknown when StorageClasses were not collected, or PVCs could not be listed', () => {
    expect(run(undefined, listed(pvc('data', 'x')))[0]).toMatchObject({
      status: 'unknown',
      reason: 'ApiError',
    });
    expect(run(listed(), broken('Forbidden'))[0]).toMatchObject({ status: 'unknown', reason: 'Forbidden' });
  });
});
