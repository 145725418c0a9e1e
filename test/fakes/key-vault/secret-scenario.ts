/**
 * Builders for secret-check tests: SecretSyncs, SecretProviderClasses (with `objects` as the Azure
 * provider writes it — YAML inside YAML), the controller Deployment and Key Vault metadata. Valid
 * objects are checked against the real CRDs with `assertValidAgainstCrds`.
 */
import { stringify as toYaml } from 'yaml';
import type { CheckSettings } from '../../../jobs/checks/settings.js';
import type {
  ClusterSnapshot,
  Condition,
  Deployment,
  KeyVaultSecretMeta,
  Listed,
  SecretProviderClass,
  SecretSync,
} from '../../../jobs/checks/snapshot.js';
import { CrdCatalog } from '../kube-api/crd-catalog.js';

export const NOW = new Date('2026-06-01T12:00:00Z');
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
/** ISO time `ms` before NOW, without milliseconds (as the API server writes it). */
export const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString().replace(/\.\d+Z$/, 'Z');
export const fromNow = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

export const SETTINGS: CheckSettings = {
  backups: { maxAgeMs: 'auto', graceMs: HOUR, partialFailedIs: 'warn', veleroNamespace: 'velero' },
  secretSync: { rotationPollIntervalMs: HOUR, jitterMs: 0, expiryWarningMs: 30 * DAY, required: true },
  encryption: { kekMaxAgeMs: 30 * DAY, kekGraceMs: 2 * DAY, attestedStorageClasses: [] },
  gitops: { required: false },
};

export const ok = <T>(...items: T[]): Listed<T> => ({ ok: true, items });
export const failed = <T>(
  reason: 'Forbidden' | 'NotFound' | 'Timeout' | 'ApiError',
  rule?: string,
): Listed<T> => ({
  ok: false,
  error: { reason, message: `simulated ${reason}`, ...(rule ? { missingRule: rule } : {}) },
});

export function cond(
  type: string,
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message = '',
): Condition {
  return { type, status, reason, message, lastTransitionTime: ago(5 * MIN) };
}

export interface SyncOptions {
  namespace?: string;
  spc?: string;
  sourcePaths?: string[];
  conditions?: Condition[];
  lastSync?: string;
  noStatus?: boolean;
}

export function secretSync(name: string, o: SyncOptions = {}): SecretSync {
  return {
    apiVersion: 'secret-sync.x-k8s.io/v1alpha1',
    kind: 'SecretSync',
    metadata: { name, namespace: o.namespace ?? 'pos' },
    spec: {
      secretProviderClassName: o.spc ?? 'kv-spc',
      serviceAccountName: 'pos-sa',
      secretObject: {
        type: 'Opaque',
        data: (o.sourcePaths ?? [name]).map((p) => ({ sourcePath: p, targetKey: p })),
      },
    },
    ...(o.noStatus
      ? {}
      : {
          status: {
            conditions: o.conditions ?? [
              cond('SecretCreated', 'True', 'CreateSuccessful', 'Secret created successfully.'),
              cond('SecretUpdated', 'True', 'SecretUpToDate', 'Secret contains last observed values.'),
            ],
            ...(o.lastSync === '' ? {} : { lastSuccessfulSyncTime: o.lastSync ?? ago(2 * HOUR) }),
            syncHash: 'a1b2c3',
          },
        }),
  };
}

export interface ObjectSpec {
  objectName: string;
  objectType?: string;
  objectVersion?: string;
  objectAlias?: string;
}

/** The `objects` parameter exactly as Azure docs write it: `array:` of YAML block strings. */
export function objectsParameter(objects: ObjectSpec[]): string {
  const entries = objects.map((o) => toYaml({ objectType: 'secret', objectVersion: '', ...o }));
  return toYaml({ array: entries }, { blockQuote: 'literal' });
}

export function providerClass(
  name: string,
  objects: ObjectSpec[] | string,
  o: { namespace?: string; vault?: string } = {},
): SecretProviderClass {
  return {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1',
    kind: 'SecretProviderClass',
    metadata: { name, namespace: o.namespace ?? 'pos' },
    spec: {
      provider: 'azure',
      parameters: {
        usePodIdentity: 'false',
        clientID: '11111111-2222-3333-4444-555555555555',
        keyvaultName: o.vault ?? 'kv-store-042',
        tenantId: '00000000-0000-0000-0000-000000000000',
        objects: typeof objects === 'string' ? objects : objectsParameter(objects),
      },
    },
  };
}

/** `args`: the manager container's, as the upstream chart writes them (`--rotation-poll-interval=1h`). */
export function controller(
  o: { namespace?: string; replicas?: number; available?: number; args?: string[] } = {},
): Deployment {
  const replicas = o.replicas ?? 1;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'secrets-store-sync-controller-manager',
      namespace: o.namespace ?? 'azure-secret-store',
    },
    spec: {
      replicas,
      ...(o.args
        ? {
            template: {
              spec: {
                containers: [{ name: 'manager', command: ['/secrets-store-sync-controller'], args: o.args }],
              },
            },
          }
        : {}),
    },
    status: { availableReplicas: o.available ?? replicas, readyReplicas: o.available ?? replicas },
  };
}

export function kvSecret(name: string, o: Partial<KeyVaultSecretMeta> = {}): KeyVaultSecretMeta {
  return { vault: 'kv-store-042', name, enabled: true, createdOn: ago(3 * DAY), ...o };
}

export function snapshot(over: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    cluster: 'store-042',
    collectedAt: NOW.toISOString(),
    veleroNamespace: 'velero',
    backupStorageLocations: ok(),
    schedules: ok(),
    backups: ok(),
    namespaces: ok(),
    persistentVolumeClaims: ok(),
    deployments: ok(controller()),
    secretSyncs: ok(),
    secretProviderClasses: ok(),
    keyVaultSecrets: {},
    ...over,
  };
}

/** Throws when a SecretSync or SecretProviderClass does not match its real CRD. */
export function assertValidAgainstCrds(objects: (SecretSync | SecretProviderClass)[]): void {
  const catalog = CrdCatalog.load();
  if (!catalog.validating) throw new Error('CRDs not found: cannot validate fixtures');
  for (const obj of objects) {
    const [group, version] = (obj.apiVersion ?? '').split('/');
    const plural = obj.kind === 'SecretSync' ? 'secretsyncs' : 'secretproviderclasses';
    const def = catalog.find(group, plural);
    if (!def) throw new Error(`no CRD for ${group}/${plural}`);
    const problems = catalog.validate(def, version, obj);
    if (problems.length) throw new Error(`${obj.kind} ${obj.metadata.name}: ${problems.join('; ')}`);
  }
}
