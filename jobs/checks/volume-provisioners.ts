/**
 * What a StorageClass's provisioner and parameters say about encryption at rest. Drivers read their
 * parameter keys case-insensitively (Azure Disk, EBS), so lookups here do too.
 */

export interface ProvisionerVerdict {
  /** `undefined` = the provisioner's data path is not known to dpbot. */
  encrypted: boolean | undefined;
  /** One clause for the message, e.g. `encrypted by Azure with a platform-managed key`. */
  how: string;
}

const HOSTPATH = new Set([
  'kubernetes.io/no-provisioner',
  'rancher.io/local-path',
  'kubernetes.io/host-path',
  'hostpath.csi.k8s.io',
  'k8s.io/minikube-hostpath',
  'microk8s.io/hostpath',
  'docker.io/hostpath',
  'openebs.io/local',
]);

export function judgeProvisioner(
  provisioner: string | undefined,
  parameters: Record<string, string> | undefined,
): ProvisionerVerdict {
  const param = (key: string) => lookup(parameters, key);
  const isTrue = (key: string) => param(key)?.trim().toLowerCase() === 'true';
  const p = provisioner ?? '';
  switch (p) {
    case 'disk.csi.azure.com':
    case 'kubernetes.io/azure-disk': {
      const des = param('diskEncryptionSetID');
      return {
        encrypted: true,
        how: des
          ? `encrypted by Azure with a customer-managed key (disk encryption set ${lastSegment(des)})`
          : 'encrypted by Azure storage service encryption with a platform-managed key',
      };
    }
    case 'disk.csi.akshci.com':
      // DESIGN §6 lists it among the known, encrypted provisioners ("AKS on Azure Local: BitLocker on
      // the host volumes"); a site that turned BitLocker off is the one to say so, not every site.
      return {
        encrypted: true,
        how: "AKS on Azure Local disks: VHDX files on the host's cluster shared volumes, encrypted by BitLocker on the host volumes (Azure Local's default; not visible from inside the cluster)",
      };
    case 'pd.csi.storage.gke.io':
    case 'kubernetes.io/gce-pd':
      return {
        encrypted: true,
        how: param('disk-encryption-kms-key')
          ? 'encrypted by Google Cloud with a customer-managed key (disk-encryption-kms-key)'
          : 'encrypted by Google Cloud by default',
      };
    case 'ebs.csi.aws.com':
    case 'kubernetes.io/aws-ebs':
      return isTrue('encrypted')
        ? {
            encrypted: true,
            how: `EBS encryption (encrypted: "true"${param('kmsKeyId') ? ', kmsKeyId set' : ''})`,
          }
        : {
            encrypted: false,
            how: 'EBS volumes without encrypted: "true" (if EBS encryption by default is on for the account, attest this class in encryption.attestedStorageClasses)',
          };
    case 'driver.longhorn.io':
      return isTrue('encrypted')
        ? { encrypted: true, how: 'Longhorn volumes encrypted with LUKS (encrypted: "true")' }
        : { encrypted: false, how: 'Longhorn volumes without encrypted: "true"' };
  }
  if (p === 'rbd.csi.ceph.com' || p.endsWith('.rbd.csi.ceph.com')) {
    return isTrue('encrypted')
      ? { encrypted: true, how: 'Ceph RBD images encrypted with LUKS (encrypted: "true")' }
      : { encrypted: false, how: 'Ceph RBD images without encrypted: "true"' };
  }
  if (HOSTPATH.has(p) || p.includes('hostpath')) {
    return {
      encrypted: undefined,
      how: `node-local storage (${p}): encryption depends on the nodes' disks, which dpbot cannot see`,
    };
  }
  return {
    encrypted: undefined,
    how: p ? `provisioner ${p} is not one dpbot knows` : 'the StorageClass names no provisioner',
  };
}

function lookup(parameters: Record<string, string> | undefined, key: string): string | undefined {
  if (!parameters || typeof parameters !== 'object') return undefined;
  const want = key.toLowerCase();
  for (const [k, v] of Object.entries(parameters))
    if (k.toLowerCase() === want && typeof v === 'string') return v;
  return undefined;
}

function lastSegment(id: string): string {
  return id.split('/').filter(Boolean).pop() ?? id;
}
