/**
 * volume-encryption judges a bound claim by its PersistentVolume, not by today's StorageClass.
 * PVs and PVCs are real-shaped (test/fakes/kube-api/builders.ts: claimRef, csi.volumeHandle,
 * provisioned-by annotation, local nodeAffinity), as the PV controller and external-provisioner write them.
 */
import type { ReasonCode } from '../../../jobs/checks/reason-codes.js';
import type { CheckSettings } from '../../../jobs/checks/settings.js';
import type {
  Listed,
  PersistentVolume,
  PersistentVolumeClaim,
  StorageClass,
} from '../../../jobs/checks/snapshot.js';
import { checkVolumeEncryption } from '../../../jobs/checks/volume-encryption.js';
import { boundPvc, persistentVolume, pvc, storageClass } from '../../fakes/kube-api/builders.js';
import { apiserverSnapshot, NOW, SETTINGS } from './apiserver-snapshot.js';

const listed = <T>(...items: T[]): Listed<T> => ({ ok: true, items });
const withTime = (sc: StorageClass, creationTimestamp: string): StorageClass => ({
  ...sc,
  metadata: { ...sc.metadata, creationTimestamp },
});

function run(
  classes: StorageClass[],
  claims: PersistentVolumeClaim[],
  volumes: Listed<PersistentVolume> | undefined,
  attested: CheckSettings['encryption']['attestedStorageClasses'] = [],
) {
  const settings = { ...SETTINGS, encryption: { ...SETTINGS.encryption, attestedStorageClasses: attested } };
  return checkVolumeEncryption(
    apiserverSnapshot(undefined, undefined, {
      persistentVolumeClaims: listed(...claims),
      storageClasses: listed(...classes),
      ...(volumes ? { persistentVolumes: volumes } : {}),
    }),
    NOW,
    settings,
  );
}

type Case = [
  given: string,
  classes: StorageClass[],
  pv: PersistentVolume,
  claimClass: string,
  status: string,
  reason: ReasonCode<'volume-encryption'>,
  resource: string,
  message: RegExp,
];

const claim = 'pos/data';
const cases: Case[] = [
  [
    'hostPath PV under a class whose provisioner looks encrypted: judged by the PV',
    [storageClass('managed-csi', 'disk.csi.azure.com')],
    persistentVolume(
      'pv-host',
      { hostPath: { path: '/mnt/data', type: 'DirectoryOrCreate' } },
      { claim, storageClassName: 'managed-csi' },
    ),
    'managed-csi',
    'warn',
    'VolumeEncryptionUnknown',
    'storageclass/managed-csi',
    /StorageClass managed-csi used by 1 PVC \(pos\/data\): hostPath volumes on a node's own disk: .* \(hostPath \/mnt\/data\)/,
  ],
  [
    'static local PV with no StorageClass',
    [storageClass('default', 'disk.csi.azure.com')],
    persistentVolume('pv-local', { local: { path: '/mnt/disks/ssd1' } }, { claim }),
    '',
    'warn',
    'VolumeEncryptionUnknown',
    'storageclass/(none)',
    /1 PVC \(pos\/data\): local volumes on a node's own disk: .*\(static PersistentVolume, no StorageClass\) \(local \/mnt\/disks\/ssd1\)/,
  ],
  [
    'static NFS PV',
    [],
    persistentVolume('pv-nfs', { nfs: { server: '10.0.0.5', path: '/exports/pos' } }, { claim }),
    '',
    'warn',
    'VolumeEncryptionUnknown',
    'storageclass/(none)',
    /NFS shares: encryption depends on the NFS server's storage, which dpbot cannot see \(static PersistentVolume, no StorageClass\) \(nfs 10.0.0.5:\/exports\/pos\)/,
  ],
  [
    'static Azure Disk CSI PV with no class: encrypted by the platform whatever the class',
    [],
    persistentVolume(
      'pv-disk',
      {
        csi: {
          driver: 'disk.csi.azure.com',
          volumeHandle: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/pos-data',
        },
      },
      { claim },
    ),
    '',
    'ok',
    'VolumesEncrypted',
    'storageclass/(none)',
    /encrypted by Azure storage service encryption/,
  ],
  [
    'class re-created with encrypted: "true" after the volume was made: the old volume stays unencrypted',
    [
      withTime(
        storageClass('ceph-block', 'rook-ceph.rbd.csi.ceph.com', { encrypted: 'true' }),
        '2026-10-01T00:00:00Z',
      ),
    ],
    {
      ...persistentVolume(
        'pvc-1a2b',
        {
          csi: {
            driver: 'rook-ceph.rbd.csi.ceph.com',
            volumeAttributes: { pool: 'replicapool', imageName: 'csi-vol-1a2b' },
          },
        },
        { claim, storageClassName: 'ceph-block', creationTimestamp: '2026-03-01T00:00:00Z' },
      ),
    },
    'ceph-block',
    'fail',
    'VolumeNotEncrypted',
    'storageclass/ceph-block',
    /Ceph RBD images without encrypted: "true"/,
  ],
  [
    'the class that made the volume (older than it) lends its parameters',
    [
      withTime(
        storageClass('ceph-block', 'rook-ceph.rbd.csi.ceph.com', { encrypted: 'true' }),
        '2026-01-01T00:00:00Z',
      ),
    ],
    persistentVolume(
      'pvc-3c4d',
      { csi: { driver: 'rook-ceph.rbd.csi.ceph.com' } },
      { claim, storageClassName: 'ceph-block', creationTimestamp: '2026-03-01T00:00:00Z' },
    ),
    'ceph-block',
    'ok',
    'VolumesEncrypted',
    'storageclass/ceph-block',
    /Ceph RBD images encrypted with LUKS/,
  ],
  [
    'volumeAttributes carry encryption (Longhorn copies its parameters into them)',
    [],
    persistentVolume(
      'pvc-5e6f',
      {
        csi: { driver: 'driver.longhorn.io', volumeAttributes: { encrypted: 'true', numberOfReplicas: '3' } },
      },
      { claim, storageClassName: 'longhorn-gone' },
    ),
    'longhorn-gone',
    'ok',
    'VolumesEncrypted',
    'storageclass/longhorn-gone',
    /Longhorn volumes encrypted with LUKS/,
  ],
  [
    'AKS on Azure Local disk: BitLocker on the host volumes (DESIGN §6) → encrypted',
    [storageClass('default', 'disk.csi.akshci.com')],
    persistentVolume(
      'pvc-7a8b',
      { csi: { driver: 'disk.csi.akshci.com' } },
      { claim, storageClassName: 'default' },
    ),
    'default',
    'ok',
    'VolumesEncrypted',
    'storageclass/default',
    /AKS on Azure Local disks: .*encrypted by BitLocker on the host volumes/,
  ],
];

describe('volume-encryption: bound claims judged by their PersistentVolume', () => {
  it.each(cases)('%s', (_given, classes, pv, claimClass, status, reason, resource, message) => {
    const findings = run(
      classes,
      [boundPvc('data', pv.metadata.name, { namespace: 'pos', storageClassName: claimClass })],
      listed(pv),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ check: 'volume-encryption', status, reason, resource });
    expect(findings[0].message).toMatch(message);
  });

  it('AKS on Azure Local disk under an attested class: ok, citing the evidence', () => {
    const pv = persistentVolume(
      'pvc-7a8b',
      { csi: { driver: 'disk.csi.akshci.com' } },
      { claim, storageClassName: 'default' },
    );
    const [f] = run(
      [storageClass('default', 'disk.csi.akshci.com')],
      [boundPvc('data', pv.metadata.name, { namespace: 'pos' })],
      listed(pv),
      [{ name: 'default', evidence: 'BitLocker on all Azure Local CSVs (az stack-hci-vm … ticket SEC-7)' }],
    );
    expect(f).toMatchObject({
      status: 'ok',
      reason: 'VolumesEncrypted',
      evidence: { attested: expect.stringContaining('BitLocker') },
    });
    expect(f.message).toBe(
      'StorageClass default used by 1 PVC (pos/data) is attested encrypted: BitLocker on all Azure Local CSVs (az stack-hci-vm … ticket SEC-7)',
    );
  });

  it('one class, two kinds of volumes: one line per verdict', () => {
    const csi = persistentVolume(
      'pv-a',
      { csi: { driver: 'disk.csi.azure.com' } },
      { claim: 'pos/a', storageClassName: 'standard' },
    );
    const host = persistentVolume(
      'pv-b',
      { hostPath: { path: '/data/b' } },
      { claim: 'pos/b', storageClassName: 'standard' },
    );
    const findings = run(
      [storageClass('standard', 'disk.csi.azure.com')],
      [
        boundPvc('a', 'pv-a', { namespace: 'pos', storageClassName: 'standard' }),
        boundPvc('b', 'pv-b', { namespace: 'pos', storageClassName: 'standard' }),
      ],
      listed(csi, host),
    );
    expect(findings.map((f) => [f.resource, f.status, f.evidence?.pvcs])).toEqual([
      ['storageclass/standard', 'ok', 'pos/a'],
      ['storageclass/standard', 'warn', 'pos/b'],
    ]);
  });

  it('a pending claim (no volume yet) is judged by its class; a bound one whose PV is missing warns', () => {
    const findings = run(
      [storageClass('managed-csi', 'disk.csi.azure.com')],
      [
        pvc('new', { namespace: 'pos', storageClassName: 'managed-csi', status: { phase: 'Pending' } }),
        boundPvc('old', 'pv-gone', { namespace: 'pos', storageClassName: 'managed-csi' }),
      ],
      listed(),
    );
    expect(findings.map((f) => [f.status, f.evidence?.pvcs])).toEqual([
      ['ok', 'pos/new'],
      ['warn', 'pos/old'],
    ]);
    expect(findings[1].message).toMatch(/bound to PersistentVolume pv-gone, which dpbot cannot find/);
  });

  it('PersistentVolumes unreadable: unknown naming the missing cluster-scoped rule, never ok', () => {
    const findings = run(
      [storageClass('managed-csi', 'disk.csi.azure.com')],
      [boundPvc('data', 'pv-1', { namespace: 'pos', storageClassName: 'managed-csi' })],
      {
        ok: false,
        error: { reason: 'Forbidden', message: 'forbidden', missingRule: 'list core persistentvolumes' },
      },
    );
    expect(findings).toEqual([expect.objectContaining({ status: 'unknown', reason: 'Forbidden' })]);
    expect(findings[0].message).toMatch(/not allowed to list core persistentvolumes/);
  });
});
