/**
 * The demo fleet: simulated clusters served by the fake Kubernetes API and a fake Key Vault, so a
 * newcomer sees real reports with no cloud account. Each scenario (re)fills one cluster.
 */
import type { FakeKeyVault } from '../test/fakes/key-vault/fake-key-vault.js';
import { objectsParameter } from '../test/fakes/key-vault/secret-scenario.js';
import {
  backup,
  backupStorageLocation,
  boundPvc,
  deployment,
  gitRepository,
  isoAgo,
  kustomization,
  namespace,
  persistentVolume,
  pvc,
  schedule,
  secretProviderClass,
  secretSync,
  storageClass,
} from '../test/fakes/kube-api/builders.js';
import type { FakeKubeApi } from '../test/fakes/kube-api/fake-kube-api.js';
import { loadPlatform, type PlatformName, platform } from '../test/fixtures/platforms/platforms.js';
import { olderBackups } from './backup-history.js';
import { transitShapes } from './transit-scenarios.js';

export interface DemoWorld {
  kube: FakeKubeApi;
  vault?: FakeKeyVault;
  now: number;
}
export type Scenario = (world: DemoWorld, cluster: string) => void;

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const stamp = (minutesAgo: number, now: number) =>
  isoAgo(minutesAgo, now)
    .replace(/[-:TZ]/g, '')
    .slice(0, 14);

/** The Key Vault a demo cluster's SecretProviderClass names. */
export const demoVaultName = (cluster: string) => `kv-${cluster}`;

/** Velero with a nightly schedule whose newest backup finished `ageMinutes` ago. */
export function velero({ kube, now }: DemoWorld, cluster: string, ageMinutes: number, bslAvailable = true) {
  const c = kube.cluster(cluster);
  c.put(namespace('velero'));
  c.put(
    backupStorageLocation('default', {
      // Each store its own storage account (else backup-location warns BackupLocationShared).
      spec: { config: { resourceGroup: 'rg-dpbot-demo', storageAccount: `st${cluster.replace(/-/g, '')}` } },
      status: bslAvailable
        ? { phase: 'Available', lastValidationTime: isoAgo(1, now) }
        : {
            phase: 'Unavailable',
            lastValidationTime: isoAgo(1, now),
            message:
              'BackupStorageLocation "default" is unavailable: container velero not found (AuthorizationFailure)',
          },
    }),
  );
  c.put(schedule('nightly', { creationTimestamp: isoAgo(30 * 24 * 60, now) }));
  for (let day = 0; day < 3; day++) {
    const age = ageMinutes + day * 24 * 60;
    c.put(backup(`nightly-${stamp(age, now)}`, { schedule: 'nightly', ageMinutes: age }));
  }
}

function workloads({ kube }: DemoWorld, cluster: string, storage = 'disk.csi.akshci.com', bound = false) {
  const c = kube.cluster(cluster);
  c.put(storageClass('default', storage));
  for (const ns of ['pos', 'inventory']) {
    c.put(namespace(ns));
    if (!bound) {
      c.put(pvc(`${ns}-data`, { namespace: ns }));
      continue;
    }
    // Bound as the PV controller leaves it: volume-encryption judges the claim by this PV.
    const pv = `pvc-${cluster}-${ns}`;
    // rancher.io/local-path makes hostPath PVs under /opt/local-path-provisioner; CSI drivers csi PVs.
    const source =
      storage === 'rancher.io/local-path'
        ? {
            hostPath: {
              path: `/opt/local-path-provisioner/${pv}_${ns}_${ns}-data`,
              type: 'DirectoryOrCreate',
            },
          }
        : { csi: { driver: storage } };
    c.put(persistentVolume(pv, source, { claim: `${ns}/${ns}-data`, storageClassName: 'default' }));
    c.put(boundPvc(`${ns}-data`, pv, { namespace: ns }));
  }
}

/** The Secret Store extension syncing two Key Vault secrets into `pos`. */
function secretStore(
  { kube, vault, now }: DemoWorld,
  cluster: string,
  opts: { expiresInDays?: number } = {},
) {
  const c = kube.cluster(cluster);
  c.put(deployment());
  // One fake vault serves the whole demo fleet, so each store's secrets carry its name; the alias keeps
  // the synced key names the same everywhere.
  const kvName = (alias: string) => `${alias}-${cluster}`;
  const objects = objectsParameter(
    ['db-password', 'payment-api-key'].map((alias) => ({ objectName: kvName(alias), objectAlias: alias })),
  );
  c.put(
    secretProviderClass('kv-spc', {
      namespace: 'pos',
      spec: {
        parameters: {
          keyvaultName: demoVaultName(cluster),
          tenantId: '00000000-0000-0000-0000-000000000000',
          objects,
        },
      },
    }),
  );
  for (const name of ['db-password', 'payment-api-key'])
    c.put(
      secretSync(name, {
        namespace: 'pos',
        spcName: 'kv-spc',
        status: { lastSuccessfulSyncTime: isoAgo(30, now) },
      }),
    );
  vault?.setSecret({
    name: kvName('db-password'),
    value: 'demo-value-never-read',
    created: new Date(now - 40 * DAY),
  });
  vault?.setSecret({
    name: kvName('payment-api-key'),
    value: 'demo-value-never-read',
    created: new Date(now - 20 * DAY),
    expires: new Date(now + (opts.expiresInDays ?? 300) * DAY),
  });
}

function gitops({ kube }: DemoWorld, cluster: string, suspended = false) {
  const c = kube.cluster(cluster);
  // The Arc Flux extension's controllers, which keep the objects' status current.
  for (const name of ['source-controller', 'kustomize-controller'])
    c.put(deployment(name, { namespace: 'flux-system' }));
  c.put(gitRepository());
  c.put(kustomization('cluster-config', { spec: { suspend: suspended } }));
}

/** Velero and workloads only: what the tests build on (`scenarios.healthy(fake, name, now)`). */
export const scenarios = {
  healthy(kube: FakeKubeApi, cluster: string, now: number) {
    const world = { kube, now };
    velero(world, cluster, 6 * 60);
    workloads(world, cluster);
    kube.cluster(cluster).put(deployment());
  },
  'stale-backup'(kube: FakeKubeApi, cluster: string, now: number) {
    const world = { kube, now };
    velero(world, cluster, 4 * 24 * 60, false);
    workloads(world, cluster);
    kube.cluster(cluster).put(deployment());
  },
};

/** The demo's clusters: every check has something to say. */
export const demoScenarios = {
  /** Everything protected; the KMS plugin is v1 (AKS on Azure Local), so rotation is platform-managed. */
  healthy(world: DemoWorld, cluster: string) {
    velero(world, cluster, 6 * 60);
    olderBackups(world, cluster, 6 * 60); // a month of history for /dp chart
    workloads(world, cluster, undefined, true);
    secretStore(world, cluster);
    gitops(world, cluster);
    transitShapes.encrypted(world.kube, cluster);
    // A real AKS-on-Azure-Local API server: aggregated kms-providers (automatic reload), KMS v1 prefixes.
    loadPlatform(world.kube.cluster(cluster), 'aks-azure-local');
  },
  /** Stale backup, unavailable location, a secret near expiry, local-path volumes, GitOps suspended. */
  lapsed(world: DemoWorld, cluster: string) {
    velero(world, cluster, 4 * 24 * 60, false);
    olderBackups(world, cluster, 4 * 24 * 60); // a month of history for /dp chart
    workloads(world, cluster, 'rancher.io/local-path', true);
    secretStore(world, cluster, { expiresInDays: 9 });
    gitops(world, cluster, true);
    transitShapes.gaps(world.kube, cluster);
  },
  /** The lapse fixed: location available again and a fresh backup (the alert demo flips to this). */
  repaired(world: DemoWorld, cluster: string) {
    velero(world, cluster, 10, true);
  },
} satisfies Record<string, Scenario>;

export interface DemoCluster {
  name: string;
  /** `unreachable` points the kubeconfig at a closed port. */
  scenario: keyof typeof demoScenarios | 'unreachable';
}

export const demoFleet: DemoCluster[] = [
  { name: 'store-041', scenario: 'healthy' },
  { name: 'store-042', scenario: 'lapsed' },
  { name: 'store-043', scenario: 'unreachable' },
];

/**
 * A healthy fleet member on a platform of the matrix (test/fixtures/platforms): Velero, the Secret Store
 * extension, Flux and two PVC namespaces on the platform's storage, its real API server texts.
 */
export function healthyOnPlatform(world: DemoWorld, cluster: string, name: PlatformName): void {
  velero(world, cluster, 6 * 60);
  secretStore(world, cluster);
  gitops(world, cluster);
  const c = world.kube.cluster(cluster);
  c.put(deployment());
  const { pvcClass } = platform(name);
  for (const ns of ['pos', 'inventory']) {
    c.put(namespace(ns));
    c.put(
      pvc(`${ns}-data`, {
        namespace: ns,
        spec: { storageClassName: pvcClass, resources: { requests: { storage: '8Gi' } } },
      }),
    );
  }
  loadPlatform(c, name);
}

/** The demo clusters' `encryption.attestedStorageClasses`: store-041 is AKS on Azure Local. */
export const demoAttestedStorageClasses: Record<string, { name: string; evidence: string }[]> = {
  'store-041': platform('aks-azure-local').attestedStorageClasses ?? [],
};
