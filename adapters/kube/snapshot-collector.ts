/** Collects every Kubernetes-sourced field of a ClusterSnapshot: lists run concurrently, paged, time-limited. */
import type { ClusterConfig } from '../../bot/config.js';
import type { ClusterSnapshot, CollectError, Fetched, Listed } from '../../jobs/checks/snapshot.js';
import { KubeClient, type KubeClientOptions, type KubeResource, type ListOptions } from './kube-client.js';
import { KubeApiError, type RuleDescription, toCollectError } from './kube-errors.js';
import { loadKubeConfig } from './kubeconfig-loader.js';
import { collectTransit, transitFailures } from './transit-collector.js';

/** The part of a pino logger the collector uses. */
export interface CollectorLogger {
  debug(obj: object, msg: string): void;
}

export interface KubeSnapshotCollectorOptions extends KubeClientOptions {
  /** Source of `collectedAt`. @defaultValue the system clock */
  now?: () => Date;
  /** Logs which calls failed and why (never a token). @defaultValue no logging */
  logger?: CollectorLogger;
}

const res = (group: string, version: string, plural: string, namespaced = true): KubeResource => ({
  group,
  version,
  plural,
  namespaced,
});

export const RESOURCES = {
  backupStorageLocations: res('velero.io', 'v1', 'backupstoragelocations'),
  schedules: res('velero.io', 'v1', 'schedules'),
  backups: res('velero.io', 'v1', 'backups'),
  namespaces: res('', 'v1', 'namespaces', false),
  persistentVolumeClaims: res('', 'v1', 'persistentvolumeclaims'),
  storageClasses: res('storage.k8s.io', 'v1', 'storageclasses', false),
  deployments: res('apps', 'v1', 'deployments'),
  secretSyncs: res('secret-sync.x-k8s.io', 'v1alpha1', 'secretsyncs'),
  secretProviderClasses: res('secrets-store.csi.x-k8s.io', 'v1', 'secretproviderclasses'),
  gitRepositories: res('source.toolkit.fluxcd.io', 'v1', 'gitrepositories'),
  kustomizations: res('kustomize.toolkit.fluxcd.io', 'v1', 'kustomizations'),
  persistentVolumes: res('', 'v1', 'persistentvolumes', false),
} as const;

/**
 * Lists read with `resourceVersion=0` (the API server's watch cache, no etcd read; `limit` ignored):
 * few objects by nature and configuration-like, so a view a moment old changes no verdict.
 */
const FROM_CACHE: ListOptions = { fromCache: true };

/** Where the Arc Flux extension (and `flux install`) runs source-controller and kustomize-controller. */
export const FLUX_NAMESPACE = 'flux-system';

export const SSE_CONTROLLER_DEPLOYMENT = 'secrets-store-sync-controller-manager';

/** `list velero.io backups in namespace velero`, `list core persistentvolumeclaims in all namespaces`. */
function listRule(r: KubeResource, namespace?: string): RuleDescription {
  const scope = !r.namespaced ? '' : namespace ? ` in namespace ${namespace}` : ' in all namespaces';
  return { verb: 'list', target: `${r.group || 'core'} ${r.plural}${scope}` };
}

export class KubeSnapshotCollector {
  private readonly clients = new Map<string, KubeClient>();

  constructor(private readonly options: KubeSnapshotCollectorOptions = {}) {}

  async collect(cluster: ClusterConfig, log?: CollectorLogger): Promise<ClusterSnapshot> {
    const veleroNamespace = cluster.checks.backups.veleroNamespace;
    const now = this.options.now ?? (() => new Date());
    let client: KubeClient;
    try {
      client = this.clientFor(cluster);
    } catch (err) {
      return unreachableSnapshot(cluster.name, now().toISOString(), veleroNamespace, (err as Error).message);
    }
    const errors: CollectError[] = [];
    let calls = 0;
    const list = async <T>(r: KubeResource, opts: ListOptions = {}): Promise<Listed<T>> => {
      calls++;
      try {
        return { ok: true, items: await client.listAll<T>(r, opts) };
      } catch (err) {
        const error = toCollectError(err, listRule(r, opts.namespace));
        errors.push(error);
        return { ok: false, error };
      }
    };
    const raw = async (path: string, acceptStatus: number[] = []): Promise<Fetched<string>> => {
      calls++;
      try {
        return { ok: true, value: await client.getRaw(path, { acceptStatus }) };
      } catch (err) {
        const error = toCollectError(err, { verb: 'get', target: `nonResourceURL ${path.split('?')[0]}` });
        errors.push(error);
        return { ok: false, error };
      }
    };
    // transit-encryption's reads, concurrent with the lists below; their failures are in snapshot.transit.
    const transit = collectTransit(client);
    const inVelero = { namespace: veleroNamespace };
    // The lists that grow with the cluster are queued last on its one connection (see `last`).
    const queuedLast: (() => void)[] = [];
    const last = <T>(start: () => Promise<T>): Promise<T> =>
      new Promise<T>((ok, fail) => queuedLast.push(() => void start().then(ok, fail)));
    const more = Promise.all([
      list(RESOURCES.deployments, { namespace: FLUX_NAMESPACE }),
      last(() => list(RESOURCES.persistentVolumes)),
    ]);
    const [
      bsls,
      schedules,
      backups,
      namespaces,
      pvcs,
      scs,
      deployments,
      syncs,
      spcs,
      gitRepos,
      kustomizations,
      readyz,
      metrics,
    ] = await Promise.all([
      list(RESOURCES.backupStorageLocations, inVelero),
      list(RESOURCES.schedules, inVelero),
      last(() => list(RESOURCES.backups, inVelero)),
      list(RESOURCES.namespaces, FROM_CACHE),
      last(() => list(RESOURCES.persistentVolumeClaims)),
      list(RESOURCES.storageClasses, FROM_CACHE),
      list(RESOURCES.deployments, { fieldSelector: `metadata.name=${SSE_CONTROLLER_DEPLOYMENT}` }),
      last(() => list(RESOURCES.secretSyncs)),
      list(RESOURCES.secretProviderClasses, FROM_CACHE),
      list(RESOURCES.gitRepositories),
      list(RESOURCES.kustomizations),
      raw('/readyz?verbose', [500]),
      raw('/metrics'),
      // Every other read is queued by now: start the big ones behind them. Their parsed objects
      // then live for the end of the scan only, not all of it — a fleet scan's GC time was mostly
      // young-generation copies of in-flight snapshots (the profile in BENCHMARKS.md).
      Promise.resolve().then(() => {
        for (const start of queuedLast) start();
      }),
    ]);
    const snapshot: ClusterSnapshot = {
      cluster: cluster.name,
      collectedAt: now().toISOString(),
      veleroNamespace,
      backupStorageLocations: bsls as ClusterSnapshot['backupStorageLocations'],
      schedules: schedules as ClusterSnapshot['schedules'],
      backups: backups as ClusterSnapshot['backups'],
      namespaces: namespaces as ClusterSnapshot['namespaces'],
      persistentVolumeClaims: pvcs as ClusterSnapshot['persistentVolumeClaims'],
      storageClasses: scs as ClusterSnapshot['storageClasses'],
      deployments: deployments as ClusterSnapshot['deployments'],
      secretSyncs: syncs as ClusterSnapshot['secretSyncs'],
      secretProviderClasses: spcs as ClusterSnapshot['secretProviderClasses'],
      gitRepositories: gitRepos as ClusterSnapshot['gitRepositories'],
      kustomizations: kustomizations as ClusterSnapshot['kustomizations'],
      readyz,
      metrics,
    };
    snapshot.transit = await transit;
    const transitErrors = transitFailures(snapshot.transit);
    if (transitErrors.length > 0)
      (log ?? this.options.logger)?.debug(
        { cluster: cluster.name, errors: transitErrors },
        'some transit reads failed',
      );
    const [fluxDeployments, pvs] = await more;
    snapshot.fluxDeployments = fluxDeployments as ClusterSnapshot['fluxDeployments'];
    snapshot.persistentVolumes = pvs as ClusterSnapshot['persistentVolumes'];
    if (errors.length > 0)
      (log ?? this.options.logger)?.debug({ cluster: cluster.name, errors }, 'some Kubernetes reads failed');
    if (errors.length === calls && errors.every((e) => e.reason === 'ClusterUnreachable'))
      snapshot.unreachable = errors[0];
    return snapshot;
  }

  /** One client per kubeconfig + context, kept for the life of the process. */
  private clientFor(cluster: ClusterConfig): KubeClient {
    const key = `${cluster.kubeconfig ?? ''}\u0000${cluster.context ?? ''}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new KubeClient(loadKubeConfig(cluster.kubeconfig, cluster.context), this.options);
      this.clients.set(key, client);
    }
    return client;
  }
}

function unreachableSnapshot(
  name: string,
  at: string,
  veleroNamespace: string,
  why: string,
): ClusterSnapshot {
  const error: CollectError = { reason: 'ClusterUnreachable', message: `cannot load kubeconfig: ${why}` };
  const failed = { ok: false as const, error };
  return {
    cluster: name,
    collectedAt: at,
    veleroNamespace,
    unreachable: error,
    backupStorageLocations: failed,
    schedules: failed,
    backups: failed,
    namespaces: failed,
    persistentVolumeClaims: failed,
    storageClasses: failed,
    deployments: failed,
    secretSyncs: failed,
    secretProviderClasses: failed,
    gitRepositories: failed,
    kustomizations: failed,
    readyz: failed,
    metrics: failed,
    fluxDeployments: failed,
    persistentVolumes: failed,
  };
}

export { KubeApiError };
