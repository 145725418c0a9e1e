/**
 * A realistic edge cluster for the benchmark: ~40 namespaces, 60 PVCs, 5 schedules with 100 backups,
 * 200 SecretSyncs with their SecretProviderClasses, Flux objects, `/readyz?verbose` and `/metrics`.
 * A few variants (healthy, stale backups, failing syncs) are built once, validated against the real
 * CRDs on template clusters, then shared by every simulated cluster (`adopt`), so a thousand clusters
 * cost little memory in the fake.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cond, controller, providerClass, secretSync } from '../test/fakes/key-vault/secret-scenario.js';
import {
  backup,
  backupStorageLocation,
  gitRepository,
  isoAgo,
  kustomization,
  namespace,
  pvc,
  schedule,
  storageClass,
} from '../test/fakes/kube-api/builders.js';
import type { StoredObject } from '../test/fakes/kube-api/fake-cluster.js';
import type { FakeKubeApi } from '../test/fakes/kube-api/fake-kube-api.js';

export const APP_NAMESPACES = 36;
export const SYNCS_PER_CLUSTER = 200;
/** Vaults the fleet's SecretProviderClasses name (all served by the one fake Key Vault). */
export const VAULTS = ['kv-fleet-east', 'kv-fleet-west'];

type Variant = 'healthy' | 'stale-backup' | 'sync-failing';
const VARIANTS: Variant[] = ['healthy', 'stale-backup', 'sync-failing'];

const stamp = (minutesAgo: number, now: number) =>
  isoAgo(minutesAgo, now)
    .replace(/[-:TZ]/g, '')
    .slice(0, 14);
const appNs = (i: number) => `app-${String(i % APP_NAMESPACES).padStart(2, '0')}`;
export const secretName = (i: number) => `app-secret-${String(i).padStart(3, '0')}`;

function fixture(name: string): string {
  return readFileSync(resolve('test/fixtures/apiserver', name), 'utf8');
}

/** Pads the fixture `/metrics` with histogram lines to about `kb` KiB, like a real API server's. */
function metricsText(kb: number): string {
  const base = fixture('metrics-kms-v2-rotated.txt');
  const lines: string[] = [base];
  let size = base.length;
  for (let i = 0; size < kb * 1024; i++) {
    const line = `apiserver_request_duration_seconds_bucket{component="apiserver",dry_run="",group="apps",resource="deployments",scope="namespace",subresource="",verb="LIST",version="v1",le="${(i % 40) * 0.025}"} ${1000 + i}\n`;
    lines.push(line);
    size += line.length;
  }
  return lines.join('');
}

function buildTemplate(fake: FakeKubeApi, variant: Variant, now: number): StoredObject[] {
  const c = fake.cluster(`template-${variant}`);
  for (const ns of ['velero', 'flux-system', 'azure-secret-store', 'kube-system']) c.put(namespace(ns));
  for (let i = 0; i < APP_NAMESPACES; i++) c.put(namespace(appNs(i)));
  c.put(storageClass('default', 'disk.csi.akshci.com'));
  c.put(storageClass('managed-premium', 'disk.csi.azure.com', { skuName: 'Premium_LRS' }));
  for (let i = 0; i < 60; i++) c.put(pvc(`data-${i}`, { namespace: appNs(i) }));
  c.put(
    backupStorageLocation('default', { status: { phase: 'Available', lastValidationTime: isoAgo(1, now) } }),
  );
  const schedules = ['nightly', 'hourly-pos', 'hourly-inventory', 'weekly-full', 'daily-config'];
  const crons = ['0 2 * * *', '0 * * * *', '30 * * * *', '0 3 * * 0', '0 4 * * *'];
  const stale = variant === 'stale-backup' ? 4 * 24 * 60 : 0;
  schedules.forEach((s, k) => {
    c.put(schedule(s, { spec: { schedule: crons[k] }, creationTimestamp: isoAgo(60 * 24 * 60, now) }));
    for (let b = 0; b < 20; b++) {
      const age = stale + 30 + b * 60 * (k === 3 ? 24 * 7 : k === 0 || k === 4 ? 24 : 1);
      c.put(backup(`${s}-${stamp(age, now)}`, { schedule: s, ageMinutes: age }));
    }
  });
  c.put(controller({ namespace: 'azure-secret-store' }));
  for (let n = 0; n < APP_NAMESPACES; n++) {
    const names: string[] = [];
    for (let i = n; i < SYNCS_PER_CLUSTER; i += APP_NAMESPACES) names.push(secretName(i));
    c.put(
      providerClass(
        'kv-spc',
        names.map((objectName) => ({ objectName })),
        { namespace: appNs(n), vault: VAULTS[n % VAULTS.length] },
      ),
    );
  }
  for (let i = 0; i < SYNCS_PER_CLUSTER; i++) {
    const failing = variant === 'sync-failing' && i % 50 === 0;
    c.put(
      secretSync(secretName(i), {
        namespace: appNs(i),
        spc: 'kv-spc',
        lastSync: isoAgo(30, now),
        ...(failing
          ? {
              conditions: [
                cond('SecretCreated', 'True', 'CreateSuccessful'),
                cond('SecretUpdated', 'False', 'ProviderError', 'vault throttled'),
              ],
            }
          : {}),
      }),
    );
  }
  c.put(gitRepository('cluster-config'));
  for (const k of ['infra', 'apps', 'secrets', 'monitoring', 'policies'])
    c.put(kustomization(k, { spec: { sourceRef: { kind: 'GitRepository', name: 'cluster-config' } } }));
  return c.allObjects();
}

/** Fills clusters `names` on the fake, round-robin over the variants; returns the objects per cluster. */
export function populateFleet(
  fake: FakeKubeApi,
  names: string[],
  opts: { now?: number; metricsKb?: number } = {},
): number {
  const now = opts.now ?? Date.now();
  const templates = new Map(VARIANTS.map((v) => [v, buildTemplate(fake, v, now)]));
  const readyz = fixture('readyz-kms-v2-ok.txt');
  const metrics = metricsText(opts.metricsKb ?? 0);
  names.forEach((name, i) => {
    const c = fake
      .cluster(name)
      .adopt(templates.get(VARIANTS[i % VARIANTS.length])!)
      .setRaw('/readyz', readyz)
      .setRaw('/metrics', metrics);
    // Each store its own prefix, as a real fleet has (a shared one is warned BackupLocationShared).
    const bsl = c.list('backupstoragelocations', 'velero')[0] as StoredObject & { spec?: object };
    c.adopt([{ ...bsl, spec: { ...bsl.spec, objectStorage: { bucket: 'velero', prefix: name } } }]);
  });
  return templates.get('healthy')!.length;
}

/** `store-0001` … */
export function fleetNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `store-${String(i + 1).padStart(4, '0')}`);
}
