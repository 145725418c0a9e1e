/**
 * The real collector (client-node over HTTPS to the fake API) brings in what volume-encryption and
 * gitops now need: cluster-scoped PersistentVolumes and the Deployments in flux-system. The fake
 * validates the Flux objects against the real CRDs.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeSnapshotCollector } from '../../adapters/kube/snapshot-collector.js';
import { buildConfig, type ClusterConfig } from '../../bot/config.js';
import { checkGitOps } from '../../jobs/checks/gitops.js';
import { checkVolumeEncryption } from '../../jobs/checks/volume-encryption.js';
import { SETTINGS } from '../fakes/key-vault/secret-scenario.js';
import * as b from '../fakes/kube-api/builders.js';
import { FakeKubeApi } from '../fakes/kube-api/fake-kube-api.js';

let fake: FakeKubeApi;
let kubeconfig: string;
const cluster = (name: string): ClusterConfig =>
  buildConfig({ clusters: [{ name, kubeconfig, context: name }] }, 'test').clusters[0];

beforeAll(async () => {
  fake = await FakeKubeApi.start();
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'dpbot-pv-')), 'kubeconfig');
  fake.writeKubeconfig(kubeconfig, ['store-pv', 'store-flux-down']);
  for (const name of ['store-pv', 'store-flux-down']) {
    const c = fake.cluster(name);
    c.put(b.namespace('pos'));
    c.put(b.namespace('flux-system'));
    // Today's default class says Azure Disk, but the claim was bound to a hand-made hostPath PV.
    c.put(b.storageClass('default', 'disk.csi.azure.com'));
    c.put(
      b.persistentVolume(
        'pv-host',
        { hostPath: { path: '/srv/pos' } },
        { claim: 'pos/data', storageClassName: 'default' },
      ),
    );
    c.put(b.boundPvc('data', 'pv-host', { namespace: 'pos' }));
    c.put(b.gitRepository());
    c.put(b.kustomization());
    c.put(b.deployment('source-controller', { namespace: 'flux-system' }));
    c.put(
      b.deployment('kustomize-controller', {
        namespace: 'flux-system',
        available: name === 'store-flux-down' ? 0 : 1,
      }),
    );
  }
});

afterAll(async () => {
  await fake.close();
});

describe('collector → volume-encryption and gitops', () => {
  it('lists PersistentVolumes and judges the claim by its hostPath PV, not by the Azure Disk class', async () => {
    const snap = await new KubeSnapshotCollector().collect(cluster('store-pv'));
    expect(snap.persistentVolumes).toMatchObject({ ok: true, items: [{ metadata: { name: 'pv-host' } }] });
    const [f] = checkVolumeEncryption(snap, new Date(), SETTINGS);
    expect(f).toMatchObject({
      status: 'warn',
      reason: 'VolumeEncryptionUnknown',
      evidence: { volumeSource: 'hostPath /srv/pos' },
    });
    expect(
      fake.requests.some((r) => r.cluster === 'store-pv' && r.path === '/api/v1/persistentvolumes'),
    ).toBe(true);
  });

  it('lists Deployments in flux-system; a dead kustomize-controller turns Ready=True into GitOpsNotReady', async () => {
    const up = await new KubeSnapshotCollector().collect(cluster('store-pv'));
    expect(checkGitOps(up, new Date(), SETTINGS).map((f) => [f.status, f.reason])).toEqual([
      ['ok', 'GitOpsReady'],
      ['ok', 'GitOpsReady'],
    ]);
    const down = await new KubeSnapshotCollector().collect(cluster('store-flux-down'));
    expect(down.fluxDeployments).toMatchObject({ ok: true });
    expect(checkGitOps(down, new Date(), SETTINGS).map((f) => [f.status, f.reason, f.resource])).toEqual([
      ['fail', 'GitOpsNotReady', 'Deployment/flux-system/kustomize-controller'],
      ['ok', 'GitOpsReady', 'GitRepository/flux-system/cluster-config'],
    ]);
    expect(
      fake.requests.some(
        (r) =>
          r.cluster === 'store-flux-down' && r.path === '/apis/apps/v1/namespaces/flux-system/deployments',
      ),
    ).toBe(true);
  });
});
