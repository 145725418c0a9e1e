/**
 * What a bound PersistentVolume itself says about encryption at rest. A claim's data lives on its PV,
 * not on today's StorageClass: the class may have been deleted and re-created with other parameters
 * since, and static PVs (hostPath, local, NFS, a pre-created disk) have no provisioner at all.
 */
import type { PersistentVolume, StorageClass } from './snapshot.js';
import { judgeProvisioner, type ProvisionerVerdict } from './volume-provisioners.js';

export interface VolumeVerdict extends ProvisionerVerdict {
  /** What the volume is (`csi disk.csi.azure.com`, `hostPath /data`, `nfs host:/path`); `how` is the same for alike volumes. */
  source: string;
}

/**
 * @param sc - the PV's StorageClass as it is today, if it exists. Its parameters are used only when it
 *   is the class that provisioned the PV (same provisioner, created no later than the PV).
 */
export function judgePersistentVolume(pv: PersistentVolume, sc: StorageClass | undefined): VolumeVerdict {
  const spec = pv.spec ?? {};
  const csi = spec.csi;
  if (csi && typeof csi.driver === 'string') {
    const params = {
      ...(provisionedBy(pv, sc, csi.driver) ? sc?.parameters : {}),
      ...stringMap(csi.volumeAttributes),
    };
    return { ...judgeProvisioner(csi.driver, params), source: `csi ${csi.driver}` };
  }
  if (spec.hostPath) {
    const path = spec.hostPath.path ?? '?';
    return {
      encrypted: undefined,
      how: "hostPath volumes on a node's own disk: encryption depends on that disk, which dpbot cannot see",
      source: `hostPath ${path}`,
    };
  }
  if (spec.local) {
    const path = spec.local.path ?? '?';
    return {
      encrypted: undefined,
      how: "local volumes on a node's own disk: encryption depends on that disk, which dpbot cannot see",
      source: `local ${path}`,
    };
  }
  if (spec.nfs) {
    const share = `${spec.nfs.server ?? '?'}:${spec.nfs.path ?? '?'}`;
    return {
      encrypted: undefined,
      how: "NFS shares: encryption depends on the NFS server's storage, which dpbot cannot see",
      source: `nfs ${share}`,
    };
  }
  if (spec.azureDisk)
    return {
      encrypted: true,
      how: 'Azure managed disk (in-tree azureDisk), encrypted by Azure storage service encryption',
      source: 'azureDisk',
    };
  if (spec.azureFile)
    return {
      encrypted: true,
      how: 'Azure Files share, encrypted by Azure storage service encryption',
      source: 'azureFile',
    };
  if (spec.gcePersistentDisk)
    return {
      encrypted: true,
      how: 'Google Cloud persistent disk, encrypted by default',
      source: 'gcePersistentDisk',
    };
  if (spec.awsElasticBlockStore)
    return {
      encrypted: undefined,
      how: 'EBS volume (in-tree): whether it is encrypted is a property of the volume dpbot cannot see',
      source: 'awsElasticBlockStore',
    };
  return { encrypted: undefined, how: 'a volume type dpbot does not know', source: 'unknown' };
}

/** StorageClass parameters are immutable, so the class that made the PV is one that predates it. */
function provisionedBy(pv: PersistentVolume, sc: StorageClass | undefined, driver: string): boolean {
  if (!sc || sc.provisioner !== driver) return false;
  const scAt = Date.parse(sc.metadata.creationTimestamp ?? '');
  const pvAt = Date.parse(pv.metadata.creationTimestamp ?? '');
  return Number.isNaN(scAt) || Number.isNaN(pvAt) || scAt <= pvAt;
}

function stringMap(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
