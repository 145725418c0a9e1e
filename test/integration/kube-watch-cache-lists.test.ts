/**
 * `resourceVersion=0` lists (the API server's watch cache): the fake answers them as a real API
 * server does — the whole list in one page, `limit` ignored, a `continue` paged as before — and the
 * collector asks for the cache only for the small, configuration-like lists, never for Backups,
 * SecretSyncs, PVCs, PVs or Pods, whose paging must stay.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from '../../adapters/kube/kube-client.js';
import { loadKubeConfig } from '../../adapters/kube/kubeconfig-loader.js';
import { KubeSnapshotCollector, RESOURCES } from '../../adapters/kube/snapshot-collector.js';
import { buildConfig } from '../../bot/config.js';
import * as b from '../fakes/kube-api/builders.js';
import { CrdCatalog } from '../fakes/kube-api/crd-catalog.js';
import { FakeKubeApi } from '../fakes/kube-api/fake-kube-api.js';
import { handleResourceRequest } from '../fakes/kube-api/resource-handler.js';
import { ResourceRegistry } from '../fakes/kube-api/resource-types.js';

let fake: FakeKubeApi;
let kubeconfig: string;

beforeAll(async () => {
  fake = await FakeKubeApi.start();
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'dpbot-rv0-')), 'kubeconfig');
  fake.writeKubeconfig(kubeconfig, ['store-rv0']);
  const c = fake.cluster('store-rv0');
  for (let i = 0; i < 12; i++) c.put(b.namespace(`app-${String(i).padStart(2, '0')}`));
  c.put(b.namespace('velero'));
  c.put(b.backupStorageLocation());
  for (let i = 0; i < 7; i++) c.put(b.backup(`nightly-${i}`, { schedule: 'nightly' }));
  for (let i = 0; i < 4; i++) c.put(b.storageClass(`sc-${i}`, 'disk.csi.azure.com'));
  for (let i = 0; i < 6; i++) c.put(b.pod(`web-${i}`, { namespace: 'app-00' }));
});

afterAll(async () => {
  await fake.close();
});

describe('the fake API server with resourceVersion=0', () => {
  it('ignores limit and answers the whole list without continue; without it pages as before', async () => {
    const client = new KubeClient(loadKubeConfig(kubeconfig, 'store-rv0'), { pageSize: 5 });
    fake.clearRequests();
    const cached = await client.listAll<{ metadata: { name: string } }>(RESOURCES.namespaces, {
      fromCache: true,
    });
    const paged = await client.listAll<{ metadata: { name: string } }>(RESOURCES.namespaces);
    expect(cached.map((n) => n.metadata.name)).toEqual(paged.map((n) => n.metadata.name));
    expect(cached).toHaveLength(13);
    const reqs = fake.requests.filter((r) => r.path === '/api/v1/namespaces');
    // One request from the cache (limit sent and ignored), three pages of 5 from "etcd".
    expect(reqs.map((r) => r.query.resourceVersion ?? '')).toEqual(['0', '', '', '']);
    expect(reqs[0].query.limit).toBe('5');
    expect(reqs.slice(2).every((r) => typeof r.query.continue === 'string')).toBe(true);
    expect(fake.requestCounts.get('GET /api/v1/namespaces rv=0')).toBe(1);
    expect(fake.requestCounts.get('GET /api/v1/namespaces')).toBe(3);
  });

  it('pages a continue even with resourceVersion=0 (a continue is served from etcd)', () => {
    const registry = new ResourceRegistry(CrdCatalog.load());
    const c = fake.cluster('store-rv0');
    const get = (q: Record<string, string>) =>
      handleResourceRequest(c, registry, {
        method: 'GET',
        path: '/api/v1/namespaces',
        query: new URLSearchParams(q),
      }).json as { items: unknown[]; metadata: { continue?: string } };
    expect(get({ limit: '5', resourceVersion: '0' }).items).toHaveLength(13);
    const page1 = get({ limit: '5' });
    const page2 = get({ limit: '5', resourceVersion: '0', continue: page1.metadata.continue! });
    expect(page2.items).toHaveLength(5);
    expect(typeof page2.metadata.continue).toBe('string');
  });
});

describe('KubeSnapshotCollector', () => {
  it('reads only the small configuration-like lists from the watch cache', async () => {
    fake.clearRequests();
    const cluster = buildConfig(
      { clusters: [{ name: 'store-rv0', kubeconfig, context: 'store-rv0' }] },
      'test',
    ).clusters[0];
    const snap = await new KubeSnapshotCollector({ pageSize: 3 }).collect(cluster);
    expect(snap.namespaces.ok && snap.namespaces.items).toHaveLength(13);
    expect(snap.storageClasses?.ok && snap.storageClasses.items).toHaveLength(4);
    expect(snap.backups.ok && snap.backups.items).toHaveLength(7);
    const fromCache = new Set(
      fake.requests.filter((r) => r.query.resourceVersion === '0').map((r) => r.path.split('/').pop()),
    );
    expect([...fromCache].sort()).toEqual([
      'ingresses',
      'namespaces',
      'peerauthentications',
      'secretproviderclasses',
      'storageclasses',
    ]);
    // Paged as before (3 per page): 7 Backups in 3 requests, 6 Pods in 2, none asking for the cache.
    const backups = fake.requests.filter((r) => r.path.endsWith('/backups'));
    expect(backups).toHaveLength(3);
    expect(fake.requests.filter((r) => r.path === '/api/v1/pods')).toHaveLength(2);
    // The cache answers in one request though 13 namespaces are more than a page.
    expect(fake.requests.filter((r) => r.path === '/api/v1/namespaces')).toHaveLength(1);
  });
});
