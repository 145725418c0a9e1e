/**
 * volume-encryption: are the volumes that hold workload data encrypted at rest?
 *
 * Each bound PVC is judged by its PersistentVolume (CSI driver and `volumeAttributes`, hostPath,
 * local, NFS, in-tree disks; volume-sources.ts), never by what its StorageClass would provision today;
 * a PVC not bound yet by its StorageClass. Findings are per StorageClass (resource
 * `storageclass/<name>`, listing the PVCs): one per class keeps alert keys stable as PVCs come and go
 * (a class whose volumes differ gets one line per verdict). A PVC without `storageClassName` is judged
 * by the default StorageClass; a static PV with no class has none (`storageclass/(none)`). An entry of
 * `encryption.attestedStorageClasses` wins over the rules, and its evidence text is shown.
 */
import type { Finding } from './finding.js';
import { listErrorFinding } from './list-error.js';
import type { CheckSettings } from './settings.js';
import type { ClusterSnapshot, PersistentVolume, PersistentVolumeClaim, StorageClass } from './snapshot.js';
import { judgeProvisioner } from './volume-provisioners.js';
import { judgePersistentVolume } from './volume-sources.js';

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

  const pvs = snapshot.persistentVolumes;
  if (pvs && !pvs.ok) return [listErrorFinding(CHECK, 'core PersistentVolumes', pvs.error)];
  const volumes = new Map(
    (pvs?.ok ? pvs.items : []).filter((v) => v?.metadata?.name).map((v) => [v.metadata.name, v]),
  );
  const classes = new Map(scs.items.filter((c) => c?.metadata?.name).map((c) => [c.metadata.name, c]));
  const fallback = defaultClass(scs.items);
  const attested = new Map(settings.encryption.attestedStorageClasses.map((a) => [a.name, a.evidence]));
  const groups = new Map<string, { verdict: Verdict; pvcs: string[]; sources: Set<string> }>();
  for (const pvc of claims) {
    const verdict = judgeClaim(pvc, pvs?.ok ? volumes : undefined, classes, fallback, attested);
    const key = `${verdict.storageClass}\u0000${verdict.status}\u0000${verdict.how}`;
    const group = groups.get(key) ?? { verdict, pvcs: [], sources: new Set<string>() };
    group.pvcs.push(`${pvc.metadata.namespace ?? 'default'}/${pvc.metadata.name}`);
    if (verdict.source) group.sources.add(verdict.source);
    groups.set(key, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, g]) => toFinding(g.verdict, g.pvcs.sort(), [...g.sources].sort()));
}

interface Verdict {
  storageClass: string;
  provisioner: string | null;
  status: 'ok' | 'warn' | 'fail';
  /** The clause after "StorageClass x used by N PVCs". */
  how: string;
  /** Volume sources seen (`csi disk.csi.azure.com`, `hostPath /data`), when judged by PVs. */
  source?: string;
  attested?: string;
  encryption?: string;
}

/** One claim: by its PV when bound (and PVs were collected), else by the class it names. */
function judgeClaim(
  pvc: PersistentVolumeClaim,
  volumes: Map<string, PersistentVolume> | undefined,
  classes: Map<string, StorageClass>,
  fallback: string | undefined,
  attested: Map<string, string>,
): Verdict {
  const volumeName = typeof pvc.spec?.volumeName === 'string' ? pvc.spec.volumeName : '';
  const bound = volumes !== undefined && volumeName !== '';
  const pv = bound ? volumes.get(volumeName) : undefined;
  const name = pv
    ? typeof pv.spec?.storageClassName === 'string'
      ? pv.spec.storageClassName
      : NO_CLASS
    : className(pvc, fallback);
  const sc = name ? classes.get(name) : undefined;
  const base = { storageClass: name, provisioner: pv?.spec?.csi?.driver ?? sc?.provisioner ?? null };
  const attestation = name ? attested.get(name) : undefined;
  if (attestation !== undefined)
    return { ...base, status: 'ok', how: `is attested encrypted: ${attestation}`, attested: attestation };
  if (bound && !pv)
    return {
      ...base,
      status: 'warn',
      how: `is bound to PersistentVolume ${volumeName}, which dpbot cannot find, so its volume is unknown`,
    };
  if (pv) {
    const v = judgePersistentVolume(pv, sc);
    const status = v.encrypted === true ? 'ok' : v.encrypted === false ? 'fail' : 'warn';
    const staticPv = name === NO_CLASS ? ' (static PersistentVolume, no StorageClass)' : '';
    return { ...base, status, how: `${v.how}${staticPv}`, source: v.source, encryption: v.how };
  }
  if (name === NO_CLASS)
    return {
      ...base,
      status: 'warn',
      how: 'use no StorageClass (pre-provisioned volumes, or no default class): dpbot cannot tell whether those volumes are encrypted',
    };
  if (!sc)
    return { ...base, status: 'warn', how: 'does not exist in the cluster, so its provisioner is unknown' };
  const v = judgeProvisioner(sc.provisioner, sc.parameters);
  const status = v.encrypted === true ? 'ok' : v.encrypted === false ? 'fail' : 'warn';
  return { ...base, status, how: v.how, encryption: v.how };
}

function toFinding(v: Verdict, pvcs: string[], sources: string[]): Finding {
  const usedBy = `${pvcs.length} PVC${pvcs.length === 1 ? '' : 's'} (${pvcs.slice(0, SHOWN_PVCS).join(', ')}${pvcs.length > SHOWN_PVCS ? `, +${pvcs.length - SHOWN_PVCS} more` : ''})`;
  const evidence: Finding['evidence'] = {
    storageClass: v.storageClass || null,
    provisioner: v.provisioner,
    pvcCount: pvcs.length,
    pvcs: pvcs.slice(0, 20).join(', '),
  };
  if (sources.length > 0) evidence.volumeSource = sources.slice(0, 20).join(', ');
  if (v.encryption) evidence.encryption = v.encryption;
  if (v.attested !== undefined) evidence.attested = v.attested;
  const base = { check: CHECK, resource: `storageclass/${v.storageClass || '(none)'}`, evidence } as const;
  const subject = v.storageClass === NO_CLASS ? usedBy : `StorageClass ${v.storageClass} used by ${usedBy}`;
  if (v.status === 'ok') {
    const sep = v.attested !== undefined ? ' ' : ': ';
    return { ...base, status: 'ok', reason: 'VolumesEncrypted', message: `${subject}${sep}${v.how}` };
  }
  if (v.status === 'fail')
    return {
      ...base,
      status: 'fail',
      reason: 'VolumeNotEncrypted',
      message: `${subject} provisions unencrypted volumes: ${v.how} — use an encrypted class and migrate the data`,
    };
  const attest = v.storageClass
    ? ` — if its volumes are encrypted underneath, add it to encryption.attestedStorageClasses with the evidence`
    : '';
  const sep = v.how.startsWith('use ') || v.how.startsWith('does ') || v.how.startsWith('is ') ? ' ' : ': ';
  const shown = sources.filter((x) => !x.startsWith('csi ')).slice(0, SHOWN_PVCS);
  const where = shown.length > 0 ? ` (${shown.join(', ')}${sources.length > shown.length ? ', …' : ''})` : '';
  return {
    ...base,
    status: 'warn',
    reason: 'VolumeEncryptionUnknown',
    message: `${subject}${sep}${v.how}${where}${v.encryption ? attest : ''}`,
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
