/**
 * The typed view of one cluster that every check reads. Collected by adapters/kube (and
 * adapters/keyvault); checks never do I/O. Object shapes follow the real CRDs in
 * ../shared/fixtures/crds — every field is optional because cluster data can be malformed.
 */
import type { DrillRecord } from '../drill/ports.js';
import type { ArcObservation } from './arc-snapshot.js';
import type { UnknownReason } from './finding.js';
import type { TransitSnapshot } from './transit-objects.js';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  ownerReferences?: {
    apiVersion?: string;
    kind?: string;
    name?: string;
    uid?: string;
    controller?: boolean;
  }[];
  /** Bumped by the API server on every spec change (Flux compares it with `status.observedGeneration`). */
  generation?: number;
}

export interface KubeObject<Spec = unknown, St = unknown> {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: Spec;
  status?: St;
}

/** Why a list could not be read. `NotFound` means the API (CRD) is not served at all. */
export interface CollectError {
  reason: UnknownReason | 'NotFound';
  message: string;
  /** For `Forbidden`: the RBAC rule that is missing, e.g. `list velero.io/backups in namespace velero`. */
  missingRule?: string;
}

export type Listed<T> = { ok: true; items: T[] } | { ok: false; error: CollectError };
export type Fetched<T> = { ok: true; value: T } | { ok: false; error: CollectError };

export interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

// ---- Velero (velero.io/v1) ----
export interface BackupStorageLocation
  extends KubeObject<
    {
      provider?: string;
      default?: boolean;
      objectStorage?: { bucket?: string; prefix?: string };
      validationFrequency?: string | null;
      accessMode?: 'ReadOnly' | 'ReadWrite' | string;
      config?: Record<string, string>;
    },
    { phase?: 'Available' | 'Unavailable' | string; lastValidationTime?: string | null; message?: string }
  > {}

export interface BackupSpec {
  includedNamespaces?: string[];
  excludedNamespaces?: string[];
  storageLocation?: string;
  ttl?: string;
  [key: string]: unknown;
}

export interface Schedule
  extends KubeObject<
    {
      schedule?: string;
      paused?: boolean;
      template?: BackupSpec;
      useOwnerReferencesInBackup?: boolean;
      skipImmediately?: boolean;
    },
    { phase?: string; lastBackup?: string | null; lastSkipped?: string | null; validationErrors?: string[] }
  > {}

export interface BackupStatus {
  phase?: string;
  startTimestamp?: string | null;
  completionTimestamp?: string | null;
  expiration?: string | null;
  errors?: number;
  warnings?: number;
  failureReason?: string;
  validationErrors?: string[];
  progress?: { itemsBackedUp?: number; totalItems?: number };
}
export interface Backup extends KubeObject<BackupSpec, BackupStatus> {}

export interface RestoreStatus {
  phase?: string;
  startTimestamp?: string | null;
  completionTimestamp?: string | null;
  errors?: number;
  warnings?: number;
  failureReason?: string;
  validationErrors?: string[];
  progress?: { itemsRestored?: number; totalItems?: number };
}
export interface Restore
  extends KubeObject<
    {
      backupName?: string;
      includedNamespaces?: string[];
      namespaceMapping?: Record<string, string>;
      existingResourcePolicy?: string;
      [key: string]: unknown;
    },
    RestoreStatus
  > {}

// ---- core ----
export interface Namespace extends KubeObject<unknown, { phase?: string }> {}
export interface PersistentVolumeClaim
  extends KubeObject<{ storageClassName?: string | null; volumeName?: string }, { phase?: string }> {}
export interface StorageClass extends KubeObject {
  provisioner?: string;
  parameters?: Record<string, string>;
}
export interface PersistentVolume
  extends KubeObject<
    {
      storageClassName?: string;
      csi?: { driver?: string; volumeAttributes?: Record<string, string> };
      claimRef?: { namespace?: string; name?: string; uid?: string };
      hostPath?: { path?: string; type?: string };
      local?: { path?: string };
      nfs?: { server?: string; path?: string };
      azureDisk?: { diskName?: string; diskURI?: string };
      azureFile?: { shareName?: string };
      awsElasticBlockStore?: { volumeID?: string };
      gcePersistentDisk?: { pdName?: string };
    },
    { phase?: string }
  > {}
export interface Deployment
  extends KubeObject<
    {
      replicas?: number;
      template?: { spec?: { containers?: { name?: string; args?: string[]; command?: string[] }[] } };
    },
    { availableReplicas?: number; readyReplicas?: number; conditions?: Condition[] }
  > {}

// ---- Secret Store extension ----
export interface SecretSync
  extends KubeObject<
    {
      secretProviderClassName?: string;
      serviceAccountName?: string;
      secretObject?: { type?: string; data?: { sourcePath?: string; targetKey?: string }[] };
    },
    { conditions?: Condition[]; lastSuccessfulSyncTime?: string; syncHash?: string }
  > {}
export interface SecretProviderClass
  extends KubeObject<{ provider?: string; parameters?: Record<string, string> }, unknown> {}

// ---- Flux ----
export interface GitRepository
  extends KubeObject<
    { url?: string; suspend?: boolean; interval?: string; timeout?: string },
    {
      conditions?: Condition[];
      artifact?: { revision?: string; lastUpdateTime?: string; url?: string };
      observedGeneration?: number;
    }
  > {}
export interface Kustomization
  extends KubeObject<
    {
      suspend?: boolean;
      sourceRef?: { kind?: string; name?: string; namespace?: string };
      interval?: string;
      timeout?: string;
    },
    {
      conditions?: Condition[];
      lastAppliedRevision?: string;
      lastAttemptedRevision?: string;
      observedGeneration?: number;
    }
  > {}

// ---- Key Vault (metadata only; never a value) ----
export interface KeyVaultSecretMeta {
  vault: string;
  name: string;
  version?: string;
  enabled?: boolean;
  createdOn?: string;
  updatedOn?: string;
  expiresOn?: string;
}

export interface ClusterSnapshot {
  cluster: string;
  collectedAt: string;
  veleroNamespace: string;
  /** Set when the API server could not be reached at all. */
  unreachable?: CollectError;

  backupStorageLocations: Listed<BackupStorageLocation>;
  schedules: Listed<Schedule>;
  backups: Listed<Backup>;
  namespaces: Listed<Namespace>;
  persistentVolumeClaims: Listed<PersistentVolumeClaim>;

  // Filled by the collectors of the remaining checks; absent = not collected.
  storageClasses?: Listed<StorageClass>;
  deployments?: Listed<Deployment>;
  secretSyncs?: Listed<SecretSync>;
  secretProviderClasses?: Listed<SecretProviderClass>;
  gitRepositories?: Listed<GitRepository>;
  kustomizations?: Listed<Kustomization>;
  /** Raw text of `GET /readyz?verbose`. */
  readyz?: Fetched<string>;
  /** Raw text of `GET /metrics`. */
  metrics?: Fetched<string>;
  /** Key Vault secret metadata per vault name. */
  keyVaultSecrets?: Record<string, Listed<KeyVaultSecretMeta>>;
  /** First time each KMS v2 key id hash was seen (ISO), kept in Redis across scans. */
  kekFirstSeen?: Record<string, string>;
  /** dpbot's own restore drill records of this cluster, newest first (DESIGN §10; from Redis). */
  restoreDrills?: Listed<DrillRecord>;
  /** The cluster's Arc resource from Azure Resource Graph (DESIGN §12); absent without `fleet.azure`. */
  arc?: ArcObservation;
  /** Evidence of encryption in transit: CNI, mesh, Ingress TLS, running Pods (transit-encryption). */
  transit?: TransitSnapshot;
  /**
   * Other clusters of the fleet whose BackupStorageLocations write to the same provider+bucket+prefix,
   * per BackupStorageLocation name of this cluster (backup-targets-enricher.ts, kept in Redis).
   * Absent = not known (never "not shared" by itself).
   */
  sharedBackupTargets?: Record<string, string[]>;
  /**
   * Metadata of the versions SecretProviderClasses pin (`objectVersion`), keyed by
   * `pinnedVersionKey(vault, name, version)`. Error `NotFound` = the secret or version is not in the vault.
   */
  keyVaultVersions?: Record<string, Fetched<KeyVaultSecretMeta>>;
  /** Deployments in `flux-system` (source-controller, kustomize-controller, …). */
  fluxDeployments?: Listed<Deployment>;
  /** Cluster-scoped PersistentVolumes: what a bound claim really sits on. */
  persistentVolumes?: Listed<PersistentVolume>;
}

/** Key of `ClusterSnapshot.keyVaultVersions`; Key Vault names are case-insensitive, version ids are not. */
export function pinnedVersionKey(vault: string, name: string, version: string): string {
  return `${vault}/${name.toLowerCase()}/${version}`;
}
