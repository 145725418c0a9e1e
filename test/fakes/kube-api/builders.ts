/**
 * Builders of valid objects for the fake (fields from the real CRDs). Every builder takes overrides
 * that are merged shallowly into `spec`/`status`; `put()` validates the result, so a typo fails loudly.
 */
import type {
  Backup,
  BackupStorageLocation,
  Condition,
  Deployment,
  GitRepository,
  Kustomization,
  Namespace,
  PersistentVolume,
  PersistentVolumeClaim,
  Restore,
  Schedule,
  SecretProviderClass,
  SecretSync,
  StorageClass,
} from '../../../jobs/checks/snapshot.js';

interface Common {
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  uid?: string;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

const meta = (name: string, o: Common, defaultNs?: string) => ({
  name,
  ...((o.namespace ?? defaultNs) ? { namespace: o.namespace ?? defaultNs } : {}),
  ...(o.labels ? { labels: o.labels } : {}),
  ...(o.annotations ? { annotations: o.annotations } : {}),
  ...(o.creationTimestamp ? { creationTimestamp: o.creationTimestamp } : {}),
  ...(o.uid ? { uid: o.uid } : {}),
  ...(o.ownerReferences ? { ownerReferences: o.ownerReferences } : {}),
});

const withStatus = (o: Common) => (o.status ? { status: o.status } : {});

/** ISO time without milliseconds, `minutesAgo` before now. */
export function isoAgo(minutesAgo: number, now = Date.now()): string {
  return new Date(now - minutesAgo * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
}

export function condition(type: string, status: 'True' | 'False', reason: string, message = ''): Condition {
  return { type, status, reason, message, lastTransitionTime: isoAgo(5) };
}

export function backupStorageLocation(name = 'default', o: Common = {}): BackupStorageLocation {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'BackupStorageLocation',
    metadata: meta(name, o, 'velero'),
    spec: { provider: 'azure', default: true, objectStorage: { bucket: 'velero' }, ...o.spec },
    status: { phase: 'Available', lastValidationTime: isoAgo(1), ...o.status },
  };
}

export function schedule(name: string, o: Common = {}): Schedule {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Schedule',
    metadata: meta(name, o, 'velero'),
    spec: { schedule: '0 2 * * *', template: { includedNamespaces: ['*'], ttl: '720h0m0s' }, ...o.spec },
    status: { phase: 'Enabled', ...o.status },
  };
}

/** A Backup made by `schedule` (labelled `velero.io/schedule-name`), Completed `ageMinutes` ago. */
export function backup(
  name: string,
  o: Common & { schedule?: string; phase?: string; ageMinutes?: number } = {},
): Backup {
  const age = o.ageMinutes ?? 60;
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Backup',
    metadata: meta(
      name,
      { ...o, labels: { ...(o.schedule ? { 'velero.io/schedule-name': o.schedule } : {}), ...o.labels } },
      'velero',
    ),
    spec: { includedNamespaces: ['*'], storageLocation: 'default', ttl: '720h0m0s', ...o.spec },
    status: {
      phase: o.phase ?? 'Completed',
      startTimestamp: isoAgo(age + 5),
      completionTimestamp: isoAgo(age),
      expiration: isoAgo(age - 30 * 24 * 60),
      errors: 0,
      warnings: 0,
      ...o.status,
    },
  };
}

export function restore(name: string, o: Common & { backupName?: string } = {}): Restore {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Restore',
    metadata: meta(name, o, 'velero'),
    spec: { backupName: o.backupName ?? 'nightly-20260101020000', includedNamespaces: ['*'], ...o.spec },
    ...withStatus(o),
  };
}

export function namespace(name: string, o: Common = {}): Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta(name, { ...o, namespace: undefined }),
    status: { phase: 'Active' },
  };
}

/** A Schedule's controller owner reference, as Velero sets it with `useOwnerReferencesInBackup`. */
export function ownedBySchedule(name: string, uid: string): NonNullable<Common['ownerReferences']> {
  return [{ apiVersion: 'velero.io/v1', kind: 'Schedule', name, uid, controller: true }];
}

export function pvc(name: string, o: Common & { storageClassName?: string } = {}): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(name, o, 'default'),
    spec: { storageClassName: o.storageClassName ?? 'default', ...o.spec },
    status: { phase: 'Bound', ...o.status },
  };
}

export function storageClass(
  name: string,
  provisioner: string,
  parameters?: Record<string, string>,
): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name },
    provisioner,
    ...(parameters ? { parameters } : {}),
  };
}

export function secretSync(name: string, o: Common & { spcName?: string } = {}): SecretSync {
  return {
    apiVersion: 'secret-sync.x-k8s.io/v1alpha1',
    kind: 'SecretSync',
    metadata: meta(name, o, 'default'),
    spec: {
      secretProviderClassName: o.spcName ?? 'kv-spc',
      serviceAccountName: 'default',
      secretObject: { type: 'Opaque', data: [{ sourcePath: name, targetKey: 'value' }] },
      ...o.spec,
    },
    status: {
      conditions: [condition('SecretCreated', 'True', 'CreateSucceeded', 'Secret created successfully.')],
      lastSuccessfulSyncTime: isoAgo(10),
      syncHash: 'abc123',
      ...o.status,
    },
  };
}

export function secretProviderClass(
  name = 'kv-spc',
  o: Common & { keyvaultName?: string } = {},
): SecretProviderClass {
  return {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1',
    kind: 'SecretProviderClass',
    metadata: meta(name, o, 'default'),
    spec: {
      provider: 'azure',
      parameters: {
        keyvaultName: o.keyvaultName ?? 'kv-store',
        tenantId: '00000000-0000-0000-0000-000000000000',
        objects: '',
      },
      ...o.spec,
    },
  };
}

/** The SSE controller Deployment; `available` = 0 makes it unavailable. */
export function deployment(
  name = 'secrets-store-sync-controller-manager',
  o: Common & { replicas?: number; available?: number } = {},
): Deployment {
  const replicas = o.replicas ?? 1;
  const available = o.available ?? replicas;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name, o, 'azure-secret-store'),
    spec: { replicas },
    status: {
      availableReplicas: available,
      readyReplicas: available,
      conditions: [condition('Available', available > 0 ? 'True' : 'False', 'MinimumReplicasAvailable')],
    },
  };
}

export function gitRepository(
  name = 'cluster-config',
  o: Common & { revision?: string } = {},
): GitRepository {
  const revision = o.revision ?? 'main@sha1:0123456789abcdef0123456789abcdef01234567';
  // Assertion: the snapshot type lists only the fields checks read; the CRD requires more.
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    // The API server sets generation 1 on create; Flux writes observedGeneration after reconciling it.
    metadata: { ...meta(name, o, 'flux-system'), generation: 1 },
    spec: {
      url: 'https://github.com/example/cluster-config',
      interval: '1m0s',
      ref: { branch: 'main' },
      ...o.spec,
    },
    status: {
      artifact: {
        digest: 'sha256:0000000000000000000000000000000000000000000000000000000000000000',
        lastUpdateTime: isoAgo(2),
        path: `gitrepository/flux-system/${name}/0123456.tar.gz`,
        revision,
        url: `http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/${name}/0123456.tar.gz`,
      },
      conditions: [condition('Ready', 'True', 'Succeeded', `stored artifact for revision '${revision}'`)],
      observedGeneration: 1,
      ...o.status,
    },
  } as GitRepository;
}

export function kustomization(
  name = 'cluster-config',
  o: Common & { revision?: string } = {},
): Kustomization {
  const revision = o.revision ?? 'main@sha1:0123456789abcdef0123456789abcdef01234567';
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { ...meta(name, o, 'flux-system'), generation: 1 },
    spec: {
      interval: '10m0s',
      prune: true,
      path: './',
      sourceRef: { kind: 'GitRepository', name },
      ...o.spec,
    },
    status: {
      conditions: [condition('Ready', 'True', 'ReconciliationSucceeded', `Applied revision: ${revision}`)],
      lastAppliedRevision: revision,
      lastAttemptedRevision: revision,
      observedGeneration: 1,
      ...o.status,
    },
  } as Kustomization;
}

// ---- transit-encryption: core Pods/ConfigMaps/Ingresses, Istio and Calico objects ----

/** A Running Pod with one container `app` plus `sidecars` (e.g. `istio-proxy`, `linkerd-proxy`). */
export function pod(name: string, o: Common & { sidecars?: string[]; phase?: string } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, o, 'default'),
    spec: {
      containers: [
        { name: 'app', image: 'registry.example/app:1' },
        ...(o.sidecars ?? []).map((n) => ({ name: n, image: `registry.example/${n}:1` })),
      ],
      ...o.spec,
    },
    status: { phase: o.phase ?? 'Running', ...o.status },
  };
}

export function configMap(name: string, data: Record<string, string>, o: Common = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name, o, 'default'), data };
}

/** Cilium's own config map with WireGuard (or IPsec) on or off. */
export function ciliumConfig(encryption: { wireguard?: boolean; ipsec?: boolean } = {}) {
  return configMap(
    'cilium-config',
    {
      'cluster-name': 'default',
      'enable-wireguard': String(encryption.wireguard ?? false),
      'enable-ipsec': String(encryption.ipsec ?? false),
      'tunnel-protocol': 'vxlan',
    },
    { namespace: 'kube-system' },
  );
}

/** `hosts` become one rule each; `tlsHosts` one `spec.tls` entry (omit for none). */
export function ingress(name: string, o: Common & { hosts?: string[]; tlsHosts?: string[] } = {}) {
  const backend = { service: { name: 'web', port: { number: 80 } } };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta(name, o, 'default'),
    spec: {
      ingressClassName: 'nginx',
      rules: (o.hosts ?? ['shop.example.com']).map((host) => ({
        host,
        http: { paths: [{ path: '/', pathType: 'Prefix', backend }] },
      })),
      ...(o.tlsHosts ? { tls: [{ hosts: o.tlsHosts, secretName: `${name}-tls` }] } : {}),
      ...o.spec,
    },
  };
}

export function peerAuthentication(
  name: string,
  o: Common & { mode?: string; matchLabels?: Record<string, string>; ports?: Record<string, string> } = {},
) {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: meta(name, o, 'istio-system'),
    spec: {
      ...(o.matchLabels ? { selector: { matchLabels: o.matchLabels } } : {}),
      ...(o.mode ? { mtls: { mode: o.mode } } : {}),
      ...(o.ports
        ? { portLevelMtls: Object.fromEntries(Object.entries(o.ports).map(([p, mode]) => [p, { mode }])) }
        : {}),
      ...o.spec,
    },
  };
}

/** Calico's cluster-wide `FelixConfiguration default`. */
export function felixConfiguration(spec: Record<string, unknown> = {}, name = 'default') {
  return {
    apiVersion: 'crd.projectcalico.org/v1',
    kind: 'FelixConfiguration',
    metadata: { name },
    spec: { logSeverityScreen: 'Info', ...spec },
  };
}

export interface VolumeSource {
  /** A CSI volume as external-provisioner writes it (`volumeHandle`, `volumeAttributes`). */
  csi?: { driver: string; volumeHandle?: string; volumeAttributes?: Record<string, string> };
  hostPath?: { path: string; type?: string };
  local?: { path: string };
  nfs?: { server: string; path: string };
}

/**
 * A PersistentVolume bound to `claim` (`namespace/name`), as the PV controller leaves it: `claimRef`,
 * `phase: Bound`. `storageClassName: ''`/undefined makes a static PV with no class.
 */
export function persistentVolume(
  name: string,
  source: VolumeSource,
  o: { claim?: string; storageClassName?: string; creationTimestamp?: string } = {},
): PersistentVolume {
  const [ns, claimName] = (o.claim ?? '').split('/');
  const csi = source.csi
    ? {
        ...source.csi,
        volumeHandle: source.csi.volumeHandle ?? `${source.csi.driver}/${name}`,
        fsType: 'ext4',
      }
    : undefined;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name,
      ...(o.creationTimestamp ? { creationTimestamp: o.creationTimestamp } : {}),
      ...(csi ? { annotations: { 'pv.kubernetes.io/provisioned-by': csi.driver } } : {}),
    },
    spec: {
      capacity: { storage: '8Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: csi ? 'Delete' : 'Retain',
      volumeMode: 'Filesystem',
      ...(o.storageClassName ? { storageClassName: o.storageClassName } : {}),
      ...(o.claim
        ? { claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: ns, name: claimName } }
        : {}),
      ...(csi ? { csi } : {}),
      ...(source.hostPath ? { hostPath: source.hostPath } : {}),
      ...(source.nfs ? { nfs: source.nfs } : {}),
      ...(source.local
        ? {
            local: source.local,
            nodeAffinity: {
              required: {
                nodeSelectorTerms: [
                  {
                    matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }],
                  },
                ],
              },
            },
          }
        : {}),
    } as PersistentVolume['spec'],
    status: { phase: o.claim ? 'Bound' : 'Available' },
  };
}

/** A PVC bound to PV `volume` (`spec.volumeName`), with the class the PV has (`''` for none). */
export function boundPvc(
  name: string,
  volume: string,
  o: Common & { storageClassName?: string } = {},
): PersistentVolumeClaim {
  return pvc(name, {
    ...o,
    spec: { storageClassName: o.storageClassName ?? 'default', volumeName: volume, ...o.spec },
  });
}
