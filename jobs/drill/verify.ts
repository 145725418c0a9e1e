/** Step 2 of a drill (DESIGN §10): is everything restored into the scratch namespaces up? Pure. */
import type { ScratchContents } from './ports.js';

export interface Verification {
  ready: boolean;
  /** Items that are not up yet, e.g. `PVC dp-drill-…-pos/data Pending`. */
  failures: string[];
  readyCount: number;
  total: number;
}

export function verifyScratch(contents: ScratchContents[]): Verification {
  const failures: string[] = [];
  let total = 0;
  const check = (ok: boolean, what: string) => {
    total++;
    if (!ok) failures.push(what);
  };
  for (const c of contents) {
    for (const pvc of c.persistentVolumeClaims) {
      const phase = pvc.status?.phase ?? 'Pending';
      check(phase === 'Bound', `PVC ${pvc.metadata.namespace}/${pvc.metadata.name} ${phase}`);
    }
    for (const d of c.deployments) {
      const want = d.spec?.replicas ?? 1;
      const have = d.status?.availableReplicas ?? 0;
      check(have >= want, `Deployment ${d.metadata.namespace}/${d.metadata.name} ${have}/${want} available`);
    }
    for (const s of c.statefulSets) {
      const want = s.spec?.replicas ?? 1;
      const have = s.status?.availableReplicas ?? s.status?.readyReplicas ?? 0;
      check(have >= want, `StatefulSet ${s.metadata.namespace}/${s.metadata.name} ${have}/${want} available`);
    }
    for (const ds of c.daemonSets) {
      const want = ds.status?.desiredNumberScheduled ?? 0;
      const have = ds.status?.numberAvailable ?? 0;
      // Velero restores no status: until the controller has observed the DaemonSet (observedGeneration)
      // desired 0 only means its nodes are not counted yet. Once observed, 0 of 0 is all available
      // (a nodeSelector no node of this cluster matches).
      const counted = want > 0 || ds.status?.observedGeneration !== undefined;
      check(
        counted && have >= want,
        `DaemonSet ${ds.metadata.namespace}/${ds.metadata.name} ${have}/${want} available`,
      );
    }
    for (const p of c.pods) {
      if (p.status?.phase === 'Succeeded') continue;
      const ready = p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ?? false;
      check(
        ready,
        `Pod ${p.metadata.namespace}/${p.metadata.name} not Ready (${p.status?.phase ?? 'Pending'})`,
      );
    }
  }
  return { ready: failures.length === 0, failures, readyCount: total - failures.length, total };
}
