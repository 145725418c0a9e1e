/**
 * volume-encryption: are the volumes that hold workload data encrypted at rest?
 *
 * One finding per StorageClass in use (resource `storageclass/<name>`), listing the PVCs that use
 * it: the answer is a property of the class, and one finding per class keeps alert keys stable as
 * PVCs come and go. A PVC without `storageClassName` is judged by the default StorageClass; a PVC
 * with `storageClassName: ""` binds to a pre-provisioned volume dpbot cannot judge. An entry of
 * `encryption.attestedStorageClasses` wins over the provisioner rules, and its evidence text is shown.
 */
import type { Finding } from './finding.js';
import { listErrorFinding } from './list-error.js';
import type { CheckSettings } from './settings.js';
import type { ClusterSnapshot, PersistentVolumeClaim, StorageClass } from './snapshot.js';
import { judgeProvisioner } from './volume-provisioners.js';

const CHECK = 'volume-encryption';
const DEFAULT_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];
/** Group key of PVCs that name no class and have no default class to fall back on. */
const NO_CLASS = '';
const SHOWN_PVCS = 3;

export function checkVolumeEncryption(
  snapshot: ClusterSnapshot,
  _now: Date,
  settings: CheckSettings,
): Finding[] {
  const pvcs = snapshot.persistentVolumeClaims;
  if (!pvcs.ok) return [listErrorFinding(CHECK, 'PersistentVolumeClaims in all namespaces', pvcs.error)];
  const claims = pvcs.items.filter((p) => p?.metadata?.name);
  if (claims.length === 0) {
    return [
      {
        check: CHECK,
        status: 'ok',
        reason: 'VolumesEncrypted',
        message: 'no PersistentVolumeClaims: no volume data to protect',
      },
    ];
  }
  const scs = snapshot.storageClasses;
  if (!scs) {
    return [
      {
        check: CHECK,
        status: 'unknown',
        reason: 'ApiError',
        message: 'StorageClasses were not collected by this dpbot version — cannot verify volume encryption',
      },
    ];
  }
  if (!scs.ok) return [listErrorFinding(CHECK, 'storage.k8s.io StorageClasses', scs.error)];

  const classes = new Map(scs.items.filter((c) => c?.metadata?.name).map((c) => [c.metadata.name, c]));
  const fallback = defaultClass(scs.items);
  const groups = new Map<string, string[]>();
  for (const pvc of claims) {
    const name = className(pvc, fallback);
    groups.set(name, [
      ...(groups.get(name) ?? []),
      `${pvc.metadata.namespace ?? 'default'}/${pvc.metadata.name}`,
    ]);
  }
  const attested = new Map(settings.encryption.attestedStorageClasses.map((a) => [a.name, a.evidence]));
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, used]) => judgeClass(name, used.sort(), classes.get(name), attested.get(name)));
}

function judgeClass(
  name: string,
  pvcs: string[],
  sc: StorageClass | undefined,
  attestation: string | undefined,
): Finding {
  const usedBy = `${pvcs.length} PVC${pvcs.length === 1 ? '' : 's'} (${pvcs.slice(0, SHOWN_PVCS).join(', ')}${pvcs.length > SHOWN_PVCS ? `, +${pvcs.length - SHOWN_PVCS} more` : ''})`;
  const evidence: Finding['evidence'] = {
    storageClass: name || null,
    provisioner: sc?.provisioner ?? null,
    pvcCount: pvcs.length,
    pvcs: pvcs.slice(0, 20).join(', '),
  };
  const base = { check: CHECK, resource: `storageclass/${name || '(none)'}`, evidence } as const;
  if (name === NO_CLASS) {
    return {
      ...base,
      status: 'warn',
      reason: 'VolumeEncryptionUnknown',
      message: `${usedBy} use no StorageClass (pre-provisioned volumes, or no default class): dpbot cannot tell whether those volumes are encrypted`,
    };
  }
  if (attestation !== undefined) {
    evidence.attested = attestation;
    return {
      ...base,
      status: 'ok',
      reason: 'VolumesEncrypted',
      message: `StorageClass ${name} used by ${usedBy} is attested encrypted: ${attestation}`,
    };
  }
  if (!sc) {
    return {
      ...base,
      status: 'warn',
      reason: 'VolumeEncryptionUnknown',
      message: `StorageClass ${name} used by ${usedBy} does not exist in the cluster, so its provisioner is unknown`,
    };
  }
  const verdict = judgeProvisioner(sc.provisioner, sc.parameters);
  evidence.encryption = verdict.how;
  if (verdict.encrypted === true) {
    return {
      ...base,
      status: 'ok',
      reason: 'VolumesEncrypted',
      message: `StorageClass ${name} used by ${usedBy}: ${verdict.how}`,
    };
  }
  if (verdict.encrypted === false) {
    return {
      ...base,
      status: 'fail',
      reason: 'VolumeNotEncrypted',
      message: `StorageClass ${name} used by ${usedBy} provisions unencrypted volumes: ${verdict.how} — use an encrypted class and migrate the data`,
    };
  }
  return {
    ...base,
    status: 'warn',
    reason: 'VolumeEncryptionUnknown',
    message: `StorageClass ${name} used by ${usedBy}: ${verdict.how} — if its volumes are encrypted underneath, add it to encryption.attestedStorageClasses with the evidence`,
  };
}

function className(pvc: PersistentVolumeClaim, fallback: string | undefined): string {
  const named = pvc.spec?.storageClassName;
  if (typeof named === 'string') return named;
  return fallback ?? NO_CLASS;
}

/** The default StorageClass; with several, Kubernetes uses the newest one. */
function defaultClass(items: StorageClass[]): string | undefined {
  const defaults = items.filter(
    (c) => c?.metadata?.name && DEFAULT_ANNOTATIONS.some((a) => c.metadata.annotations?.[a] === 'true'),
  );
  defaults.sort((a, b) =>
    (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''),
  );
  return defaults[0]?.metadata.name;
}
