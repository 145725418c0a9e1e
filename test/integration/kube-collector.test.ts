/** KubeSnapshotCollector with the real client-node against the fake API server over HTTPS. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeSnapshotCollector } from '../../adapters/kube/snapshot-collector.js';
import { buildConfig, type ClusterConfig } from '../../bot/config.js';
import * as b from '../fakes/kube-api/builders.js';
import { FakeKubeApi } from '../fakes/kube-api/fake-kube-api.js';

let fake: FakeKubeApi;
let kubeconfig: string;
const dir = mkdtempSync(join(tmpdir(), 'dpbot-kube-'));

function clusterConfig(name: string, file = kubeconfig): ClusterConfig {
  return buildConfig({ clusters: [{ name, kubeconfig: file, context: name }] }, 'test').clusters[0];
}

function seed(name: string): void {
  const c = fake.cluster(name);
  c.put(b.namespace('velero'));
  c.put(b.namespace('pos'));
  c.put(b.backupStorageLocation());
  c.put(b.schedule('nightly'));
  c.put(b.backup('nightly-20260101020000', { schedule: 'nightly' }));
  c.put(b.pvc('data', { namespace: 'pos' }));
  c.put(b.storageClass('default', 'disk.csi.azure.com'));
  c.put(b.deployment());
  c.put(b.deployment('other-controller'));
  c.put(b.secretSync('db-password'));
  c.put(b.secretProviderClass());
  c.put(b.gitRepository());
  c.put(b.kustomization());
  c.setRaw('/readyz', '[+]ping ok\n[+]kms-provider-0 ok\nreadyz check passed\n');
  c.setRaw(
    '/metrics',
    'apiserver_storage_transformation_operations_total{transformer_prefix="k8s:enc:kms:v2:"} 3\n',
  );
}

const names = ['store-001', 'store-002', 'store-403', 'store-slow', 'store-nocrd', 'store-page', 'store-500'];

beforeAll(async () => {
  fake = await FakeKubeApi.start();
  kubeconfig = join(dir, 'kubeconfig');
  fake.writeKubeconfig(kubeconfig, [...names, 'store-down'], { unreachable: ['store-down'] });
  for (const n of names) seed(n);
});

afterAll(async () => {
  await fake.close();
});

describe('KubeSnapshotCollector', () => {
  it('fills every Kubernetes field of the snapshot through the /clusters/<name> path prefix', async () => {
    const snap = await new KubeSnapshotCollector().collect(clusterConfig('store-001'));
    expect(snap.unreachable).toBeUndefined();
    expect(snap.backups).toMatchObject({
      ok: true,
      items: [{ metadata: { name: 'nightly-20260101020000' } }],
    });
    const backup = snap.backups.ok ? snap.backups.items[0] : undefined;
    expect(typeof backup?.metadata.creationTimestamp).toBe('string');
    expect(backup?.metadata.labels?.['velero.io/schedule-name']).toBe('nightly');
    expect(snap.backupStorageLocations.ok && snap.backupStorageLocations.items[0].status?.phase).toBe(
      'Available',
    );
    expect(snap.schedules.ok && snap.schedules.items.map((s) => s.metadata.name)).toEqual(['nightly']);
    expect(snap.namespaces.ok && snap.namespaces.items.map((n) => n.metadata.name)).toEqual([
      'pos',
      'velero',
    ]);
    expect(snap.persistentVolumeClaims.ok && snap.persistentVolumeClaims.items[0].metadata.namespace).toBe(
      'pos',
    );
    expect(snap.storageClasses).toMatchObject({ ok: true, items: [{ provisioner: 'disk.csi.azure.com' }] });
    expect(snap.deployments?.ok && snap.deployments.items.map((d) => d.metadata.name)).toEqual([
      'secrets-store-sync-controller-manager',
    ]);
    expect(snap.secretSyncs?.ok && snap.secretSyncs.items).toHaveLength(1);
    expect(snap.secretProviderClasses?.ok && snap.secretProviderClasses.items).toHaveLength(1);
    expect(snap.gitRepositories?.ok && snap.gitRepositories.items).toHaveLength(1);
    expect(snap.kustomizations?.ok && snap.kustomizations.items).toHaveLength(1);
    expect(snap.readyz).toEqual({ ok: true, value: expect.stringContaining('kms-provider-0 ok') });
    expect(snap.metrics).toEqual({ ok: true, value: expect.stringContaining('transformer_prefix') });
    expect(snap.keyVaultSecrets).toBeUndefined();

    const paths = fake.requests.filter((r) => r.cluster === 'store-001').map((r) => r.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/apis/velero.io/v1/namespaces/velero/backups',
        '/api/v1/persistentvolumeclaims',
        '/apis/apps/v1/deployments',
        '/readyz',
        '/metrics',
      ]),
    );
    expect(paths.some((p) => /\/secrets(\/|$)/.test(p))).toBe(false); // dpbot never reads Secrets
    const readyz = fake.requests.find((r) => r.cluster === 'store-001' && r.path === '/readyz');
    expect(readyz?.query).toHaveProperty('verbose');
  });

  it('pages through lists with limit/continue', async () => {
    const c = fake.cluster('store-page');
    for (let i = 0; i < 23; i++)
      c.put(b.backup(`nightly-${String(i).padStart(2, '0')}`, { schedule: 'nightly' }));
    fake.clearRequests();
    const snap = await new KubeSnapshotCollector({ pageSize: 5 }).collect(clusterConfig('store-page'));
    expect(snap.backups.ok && snap.backups.items.length).toBe(24);
    const names = snap.backups.ok ? snap.backups.items.map((x) => x.metadata.name) : [];
    expect(new Set(names).size).toBe(24);
    const pages = fake.requests.filter(
      (r) => r.cluster === 'store-page' && r.path === '/apis/velero.io/v1/namespaces/velero/backups',
    );
    expect(pages).toHaveLength(5);
    expect(pages.every((p) => p.query.limit === '5')).toBe(true);
    expect(pages.slice(1).every((p) => typeof p.query.continue === 'string')).toBe(true);
  });

  it('reports a 403 as Forbidden naming the missing RBAC rule, and reads the rest', async () => {
    fake.setFault({
      cluster: 'store-403',
      pathPrefix: '/apis/velero.io/v1/namespaces/velero/backups',
      status: 403,
    });
    fake.setFault({ cluster: 'store-403', pathPrefix: '/metrics', status: 403 });
    const snap = await new KubeSnapshotCollector().collect(clusterConfig('store-403'));
    expect(snap.backups).toEqual({
      ok: false,
      error: expect.objectContaining({
        reason: 'Forbidden',
        missingRule: 'list velero.io backups in namespace velero',
      }),
    });
    expect(snap.metrics).toEqual({
      ok: false,
      error: expect.objectContaining({ reason: 'Forbidden', missingRule: 'get nonResourceURL /metrics' }),
    });
    expect(snap.schedules.ok).toBe(true);
    expect(snap.unreachable).toBeUndefined();
  });

  it('reports rejected credentials (401) as Forbidden', async () => {
    const badToken = join(dir, 'bad-token');
    fake.writeKubeconfig(badToken, ['store-002'], { token: 'wrong' });
    const snap = await new KubeSnapshotCollector().collect(clusterConfig('store-002', badToken));
    expect(snap.namespaces).toEqual({
      ok: false,
      error: expect.objectContaining({
        reason: 'Forbidden',
        message: expect.stringContaining('credentials rejected'),
      }),
    });
  });

  it('marks every read ClusterUnreachable when the port is closed', async () => {
    const snap = await new KubeSnapshotCollector().collect(clusterConfig('store-down'));
    const fields = [
      snap.backupStorageLocations,
      snap.schedules,
      snap.backups,
      snap.namespaces,
      snap.persistentVolumeClaims,
      snap.storageClasses,
      snap.deployments,
      snap.secretSyncs,
      snap.secretProviderClasses,
      snap.gitRepositories,
      snap.kustomizations,
      snap.readyz,
      snap.metrics,
    ];
    for (const f of fields)
      expect(f).toEqual({ ok: false, error: expect.objectContaining({ reason: 'ClusterUnreachable' }) });
    expect(snap.unreachable?.reason).toBe('ClusterUnreachable');
  });

  it('reports an unknown context as ClusterUnreachable without calling the API', async () => {
    const snap = await new KubeSnapshotCollector().collect({
      ...clusterConfig('store-001'),
      context: 'nope',
    });
    expect(snap.unreachable?.message).toContain('context "nope" not found');
  });

  it('reports Timeout when the API answers slower than the limit', async () => {
    fake.cluster('store-slow').latencyMs = 400;
    const started = Date.now();
    const snap = await new KubeSnapshotCollector({ timeoutMs: 100 }).collect(clusterConfig('store-slow'));
    expect(Date.now() - started).toBeLessThan(390);
    expect(snap.backups).toEqual({ ok: false, error: expect.objectContaining({ reason: 'Timeout' }) });
    expect(snap.readyz).toEqual({ ok: false, error: expect.objectContaining({ reason: 'Timeout' }) });
    expect(snap.unreachable).toBeUndefined();
  });

  it('reports NotFound for APIs whose CRDs are not installed', async () => {
    fake
      .cluster('store-nocrd')
      .uninstall('velero.io', 'source.toolkit.fluxcd.io', 'kustomize.toolkit.fluxcd.io');
    const snap = await new KubeSnapshotCollector().collect(clusterConfig('store-nocrd'));
    for (const f of [
      snap.backups,
      snap.schedules,
      snap.backupStorageLocations,
      snap.gitRepositories,
      snap.kustomizations,
    ])
      expect(f).toEqual({ ok: false, error: expect.objectContaining({ reason: 'NotFound' }) });
    expect(snap.secretSyncs?.ok).toBe(true);
  });

  it('reports other HTTP errors as ApiError with the code', async () => {
    // Exactly the namespaces list (transit reads kube-system/configmaps/cilium-config under the same prefix).
    fake.setFault({ cluster: 'store-500', pathRegex: /^\/api\/v1\/namespaces$/, status: 500, times: 1 });
    const snap = await new KubeSnapshotCollector().collect(clusterConfig('store-500'));
    expect(snap.namespaces).toEqual({
      ok: false,
      error: expect.objectContaining({ reason: 'ApiError', message: expect.stringContaining('HTTP 500') }),
    });
  });

  it('keeps the text of /readyz?verbose when a check fails with 500', async () => {
    const c = fake.cluster('store-500');
    c.setRaw('/readyz', '[+]ping ok\n[-]kms-provider-0 failed: reason withheld\nreadyz check failed\n', 500);
    const snap = await new KubeSnapshotCollector().collect(clusterConfig('store-500'));
    expect(snap.readyz).toEqual({ ok: true, value: expect.stringContaining('[-]kms-provider-0 failed') });
  });
});
