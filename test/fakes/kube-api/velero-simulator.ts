/**
 * A simulated Velero restore controller for the fake API (restore drills, DESIGN §10). When a Restore
 * is created it moves it New → InProgress → Completed/PartiallyFailed/Failed on timers and, half way,
 * materialises what the backup holds (set with `backupContents`) in the mapped namespaces as Velero
 * does: `includedNamespaces`, `excludedResources` and `namespaceMapping` are honoured, a missing target
 * namespace is created (unlabelled), existing objects are skipped (`existingResourcePolicy: none`), and
 * each restored PVC gets a PV with reclaim policy Retain. Per-test scenarios make PVCs stay Pending or
 * workloads never become available. Everything it stores goes through `put()`, so it is validated too.
 */
import { randomUUID } from 'node:crypto';
import type { FakeCluster, StoredObject } from './fake-cluster.js';

export interface RestoreScenario {
  /** Terminal phase. @defaultValue 'Completed' */
  phase?: 'Completed' | 'PartiallyFailed' | 'Failed';
  warnings?: number;
  errors?: number;
  failureReason?: string;
  /** PVC names that stay Pending. */
  pendingPvcs?: string[];
  /** Deployment/StatefulSet/DaemonSet names that never become available (their Pods stay unready). */
  unavailable?: string[];
  /** Time between phases. @defaultValue 40 */
  stepMs?: number;
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const PLURALS: Record<string, string> = {
  PersistentVolumeClaim: 'persistentvolumeclaims',
  Deployment: 'deployments.apps',
  StatefulSet: 'statefulsets.apps',
  DaemonSet: 'daemonsets.apps',
  Pod: 'pods',
  Service: 'services',
  ConfigMap: 'configmaps',
  Job: 'jobs.batch',
  CronJob: 'cronjobs.batch',
  Ingress: 'ingresses.networking.k8s.io',
};

const iso = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export class VeleroSimulator {
  private readonly contents = new Map<string, StoredObject[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private next: RestoreScenario = {};
  private readonly detach: () => void;
  /** Names of the Restores this controller has handled, in order. */
  readonly handled: string[] = [];

  constructor(
    private readonly cluster: FakeCluster,
    private readonly veleroNamespace = 'velero',
  ) {
    this.detach = cluster.onCreate((type, obj) => {
      if (type.key === 'restores.velero.io' && obj.metadata.namespace === this.veleroNamespace)
        this.run(obj.metadata.name, { ...this.next });
    });
  }

  /** What backup `name` holds: objects as they were in their source namespaces. */
  backupContents(name: string, objects: StoredObject[]): this {
    this.contents.set(
      name,
      objects.map((o) => structuredClone(o)),
    );
    return this;
  }

  /** The scenario for Restores created from now on. */
  scenario(s: RestoreScenario): this {
    this.next = { ...s };
    return this;
  }

  stop(): void {
    this.detach();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private restore(name: string): StoredObject | undefined {
    return this.cluster.list('restores', this.veleroNamespace).find((r) => r.metadata.name === name);
  }

  private run(name: string, s: RestoreScenario): void {
    this.handled.push(name);
    const step = s.stepMs ?? 40;
    const patch = (status: Record<string, unknown>) => {
      const r = this.restore(name);
      if (r) this.cluster.patchStatus(r, status);
    };
    this.later(step, () => {
      const r = this.restore(name);
      if (!r) return;
      const items = this.selected(r);
      patch({
        phase: 'InProgress',
        startTimestamp: iso(),
        progress: { itemsRestored: 0, totalItems: items.length },
      });
      this.later(step, () => {
        if (!this.restore(name)) return;
        let restored = 0;
        let skipped = 0;
        if (s.phase !== 'Failed')
          for (const o of items)
            if (this.materialise(r, o, s)) restored++;
            else skipped++;
        patch({ progress: { itemsRestored: restored, totalItems: items.length } });
        this.later(step, () =>
          patch({
            phase: s.phase ?? 'Completed',
            completionTimestamp: iso(),
            progress: { itemsRestored: restored, totalItems: items.length },
            warnings: (s.warnings ?? 0) + skipped,
            errors: s.errors ?? (s.phase === 'PartiallyFailed' ? 1 : 0),
            ...(s.failureReason ? { failureReason: s.failureReason } : {}),
          }),
        );
      });
    });
  }

  /** The backed-up objects this Restore selects (namespaces, excluded resources). */
  private selected(r: StoredObject): StoredObject[] {
    const spec = (r.spec ?? {}) as {
      backupName?: string;
      includedNamespaces?: string[];
      excludedResources?: string[];
    };
    const included = spec.includedNamespaces ?? ['*'];
    const excluded = new Set(spec.excludedResources ?? []);
    return (this.contents.get(spec.backupName ?? '') ?? []).filter((o) => {
      const ns = o.metadata.namespace ?? '';
      const plural = PLURALS[o.kind] ?? o.kind.toLowerCase();
      const bare = plural.split('.')[0];
      return (
        (included.includes('*') || included.includes(ns)) && !excluded.has(plural) && !excluded.has(bare)
      );
    });
  }

  /** Stores one object in its mapped namespace; false when it already existed (skipped, as policy none). */
  private materialise(r: StoredObject, source: StoredObject, s: RestoreScenario): boolean {
    const mapping = ((r.spec ?? {}) as { namespaceMapping?: Record<string, string> }).namespaceMapping ?? {};
    const from = source.metadata.namespace ?? '';
    const target = mapping[from] ?? from;
    if (!this.cluster.list('namespaces').some((n) => n.metadata.name === target))
      this.cluster.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: target } });
    const plural = PLURALS[source.kind] ?? source.kind.toLowerCase();
    if (this.cluster.list(plural, target).some((o) => o.metadata.name === source.metadata.name)) return false;
    const obj = structuredClone(source);
    const { uid: _u, resourceVersion: _rv, creationTimestamp: _c, ...metadata } = obj.metadata;
    obj.metadata = {
      ...metadata,
      namespace: target,
      labels: {
        ...(metadata.labels ?? {}),
        'velero.io/backup-name': String((r.spec as { backupName?: string }).backupName),
        'velero.io/restore-name': r.metadata.name,
      },
    };
    if (obj.kind === 'PersistentVolumeClaim') this.bindClaim(obj, s);
    else if (WORKLOADS.has(obj.kind))
      obj.status = workloadStatus(obj, !s.unavailable?.includes(obj.metadata.name));
    else if (obj.kind === 'Pod') {
      const owner = String(obj.metadata.labels?.app ?? '');
      const ready = !s.unavailable?.includes(owner);
      obj.status = {
        phase: ready ? 'Running' : 'Pending',
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      };
    }
    this.cluster.put(obj);
    return true;
  }

  private bindClaim(pvc: StoredObject, s: RestoreScenario): void {
    const spec = (pvc.spec ?? {}) as Record<string, unknown>;
    if (s.pendingPvcs?.includes(pvc.metadata.name)) {
      delete spec.volumeName;
      pvc.status = { phase: 'Pending' };
      return;
    }
    const pv = `pvc-${randomUUID()}`;
    this.cluster.put({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: {
        name: pv,
        labels: { 'velero.io/restore-name': String(pvc.metadata.labels?.['velero.io/restore-name']) },
      },
      spec: {
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: spec.storageClassName,
        claimRef: {
          kind: 'PersistentVolumeClaim',
          namespace: pvc.metadata.namespace,
          name: pvc.metadata.name,
        },
        csi: { driver: 'disk.csi.azure.com', volumeHandle: pv },
      },
      status: { phase: 'Bound' },
    });
    pvc.spec = { ...spec, volumeName: pv };
    pvc.status = { phase: 'Bound' };
  }
}

function workloadStatus(o: StoredObject, available: boolean): Record<string, unknown> {
  // A DaemonSet has no replicas field: the fake schedules it on one node.
  const replicas = o.kind === 'DaemonSet' ? 1 : (((o.spec ?? {}) as { replicas?: number }).replicas ?? 1);
  const n = available ? replicas : 0;
  if (o.kind === 'DaemonSet')
    return {
      desiredNumberScheduled: replicas,
      numberAvailable: n,
      numberReady: n,
      currentNumberScheduled: replicas,
    };
  return { replicas, availableReplicas: n, readyReplicas: n };
}
