/**
 * The drill adapter's own guards (defence in depth under the drill logic): it refuses to create or
 * delete a namespace outside `dp-drill-<id>-*`, to delete one whose `dpbot.io/drill` label is not the
 * drill's id, to delete a PV that is not a Retain volume of a scratch claim, and to delete a Restore
 * outside the Velero namespace — before any request is sent.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeDrillActions } from '../../adapters/kube/drill-actions.js';
import { buildConfig, type ClusterConfig } from '../../bot/config.js';
import * as b from '../fakes/kube-api/builders.js';
import { FakeKubeApi } from '../fakes/kube-api/fake-kube-api.js';

let fake: FakeKubeApi;
let cluster: ClusterConfig;
const drills = new KubeDrillActions();
const ID = 'guardtest2';
const writes = () => fake.requests.filter((r) => r.method !== 'GET');

beforeAll(async () => {
  fake = await FakeKubeApi.start();
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'dpbot-guards-')), 'kubeconfig');
  fake.writeKubeconfig(kubeconfig, ['store-g']);
  cluster = buildConfig({ clusters: [{ name: 'store-g', kubeconfig, context: 'store-g' }] }, 'test')
    .clusters[0];
  const c = fake.cluster('store-g');
  c.put(b.namespace('pos'));
  c.put(b.namespace(`dp-drill-${ID}-pos`, { labels: { 'dpbot.io/drill': 'someoneelse' } }));
  c.put(b.namespace(`dp-drill-${ID}-db`, { labels: { 'dpbot.io/drill': ID } }));
  c.put({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'pv-live' },
    spec: { persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: 'pos', name: 'data' } },
  });
});
afterAll(async () => {
  await fake.close();
});

it('never writes outside the drill, whatever it is asked', async () => {
  await expect(drills.createNamespace(cluster, ID, 'pos', {})).rejects.toThrow(/not a scratch namespace/);
  await expect(drills.deleteNamespace(cluster, ID, 'pos')).rejects.toThrow(/not a scratch namespace/);
  await expect(drills.deleteNamespace(cluster, ID, `dp-drill-${ID}-pos`)).rejects.toThrow(
    /label is not guardtest2/,
  );
  await expect(drills.deletePersistentVolume(cluster, ID, 'pv-live')).rejects.toThrow(
    /not a Retain volume of drill/,
  );
  await expect(drills.deleteRestore(cluster, 'kube-system', 'x')).rejects.toThrow(/outside velero/);
  expect(writes()).toEqual([]);
  expect(fake.cluster('store-g').list('namespaces')).toHaveLength(3);
  // Its own, labelled namespace it does delete.
  expect(await drills.deleteNamespace(cluster, ID, `dp-drill-${ID}-db`)).toBe(true);
  expect(writes().map((w) => `${w.method} ${w.path}`)).toEqual([
    `DELETE /api/v1/namespaces/dp-drill-${ID}-db`,
  ]);
  expect(await drills.deleteNamespace(cluster, ID, `dp-drill-${ID}-db`)).toBe(false); // already gone
});
