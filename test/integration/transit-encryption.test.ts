/**
 * transit-encryption through the real collector (client-node over HTTPS to the fake API, objects
 * validated against the real Istio/Calico CRDs) and the pure check; then `/dp status` end to end.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { KubeSnapshotCollector } from '../../adapters/kube/snapshot-collector.js';
import { buildConfig, type ClusterConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { type Dpbot, startDpbot } from '../../bot/main.js';
import type { Finding } from '../../jobs/checks/finding.js';
import { checkTransitEncryption } from '../../jobs/checks/transit-encryption.js';
import * as b from '../fakes/kube-api/builders.js';
import { FakeKubeApi } from '../fakes/kube-api/fake-kube-api.js';
import { redisUrl, uniquePrefix } from '../support/redis.js';

let fake: FakeKubeApi;
let kubeconfig: string;
const NAMES = ['store-wg', 'store-istio', 'store-ingress', 'store-403', 'store-bare'];

/** Workload Pods in pos and inventory (plus system Pods, which are not judged). */
function workloads(name: string, sidecars: string[] = []) {
  const c = fake.cluster(name);
  for (const ns of ['pos', 'inventory']) {
    c.put(b.namespace(ns));
    for (const i of [1, 2])
      c.put(b.pod(`${ns}-web-${i}`, { namespace: ns, labels: { app: 'web' }, sidecars }));
  }
  c.put(b.pod('coredns-1', { namespace: 'kube-system' }));
  c.put(b.pod('pos-batch-1', { namespace: 'pos', phase: 'Succeeded' }));
}

beforeAll(async () => {
  fake = await FakeKubeApi.start();
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'dpbot-transit-')), 'kubeconfig');
  fake.writeKubeconfig(kubeconfig, NAMES);
  // Cilium with WireGuard: every namespace encrypted node to node.
  workloads('store-wg');
  fake.cluster('store-wg').put(b.ciliumConfig({ wireguard: true }));
  // Istio sidecars everywhere, mesh-wide STRICT, but pos overrides to PERMISSIVE.
  workloads('store-istio', ['istio-proxy']);
  fake.cluster('store-istio').put(b.peerAuthentication('default', { mode: 'STRICT' }));
  fake.cluster('store-istio').put(b.peerAuthentication('default', { namespace: 'pos', mode: 'PERMISSIVE' }));
  // Calico WireGuard, and an Ingress with one host outside spec.tls.
  workloads('store-ingress');
  const ing = fake.cluster('store-ingress');
  ing.put(b.felixConfiguration({ wireguardEnabled: true }));
  ing.put(
    b.ingress('shop', {
      namespace: 'pos',
      hosts: ['shop.example.com', 'api.example.com'],
      tlsHosts: ['shop.example.com'],
    }),
  );
  ing.put(
    b.ingress('admin', { namespace: 'inventory', hosts: ['admin.example.com'], tlsHosts: ['*.example.com'] }),
  );
  // RBAC without the kube-system Role: the ConfigMap read is forbidden.
  workloads('store-403');
  fake.setFault({
    cluster: 'store-403',
    pathPrefix: '/api/v1/namespaces/kube-system/configmaps/',
    status: 403,
  });
  // No Cilium, no Calico API, no Istio API: plaintext, not "cannot verify".
  workloads('store-bare');
  fake.cluster('store-bare').uninstall('security.istio.io', 'crd.projectcalico.org');
});

afterAll(async () => {
  await fake?.close();
});

const clusterConfig = (name: string, extra: object = {}): ClusterConfig =>
  buildConfig({ clusters: [{ name, kubeconfig, context: name, ...extra }] }, 'test').clusters[0];

async function scan(name: string, pageSize = 500): Promise<Finding[]> {
  const cluster = clusterConfig(name);
  const snapshot = await new KubeSnapshotCollector({ pageSize }).collect(cluster);
  return checkTransitEncryption(snapshot, new Date(), cluster.checks);
}
const brief = (f: Finding) => [f.status, f.reason, f.resource ?? null];

describe('transit-encryption through the fake API and the real collector', () => {
  it('a Cilium WireGuard cluster is ok in every workload namespace', async () => {
    const findings = await scan('store-wg');
    expect(findings.map(brief)).toEqual([
      ['ok', 'TransitEncrypted', 'namespace/inventory'],
      ['ok', 'TransitEncrypted', 'namespace/pos'],
    ]);
    expect(findings[1].message).toBe(
      '2 running Pods in pos: Cilium WireGuard (kube-system/cilium-config enable-wireguard: "true") encrypts pod traffic between nodes',
    );
  });

  it('an Istio namespace overriding the mesh to PERMISSIVE warns MtlsPermissive, naming its policy', async () => {
    const findings = await scan('store-istio');
    expect(findings.map(brief)).toEqual([
      ['ok', 'TransitEncrypted', 'namespace/inventory'],
      ['warn', 'MtlsPermissive', 'namespace/pos'],
    ]);
    expect(findings[0].message).toContain('Istio mTLS STRICT (PeerAuthentication istio-system/default)');
    expect(findings[1].message).toContain('Istio mTLS PERMISSIVE (PeerAuthentication pos/default)');
  });

  it('an Ingress with a host outside spec.tls warns IngressWithoutTls; a wildcard certificate covers its host', async () => {
    const findings = await scan('store-ingress');
    expect(findings.map(brief)).toEqual([
      ['ok', 'TransitEncrypted', 'namespace/inventory'],
      ['ok', 'TransitEncrypted', 'namespace/pos'],
      ['warn', 'IngressWithoutTls', 'ingress/pos/shop'],
    ]);
    expect(findings[2].message).toMatch(
      /^Ingress pos\/shop serves api\.example\.com without TLS \(not in spec\.tls\)/,
    );
  });

  it('a forbidden cilium-config read is unknown Forbidden naming the Role rule, never ok or plaintext', async () => {
    const findings = await scan('store-403');
    expect(findings.map(brief)).toEqual([['unknown', 'Forbidden', null]]);
    expect(findings[0].message).toContain('get core configmaps "cilium-config" in namespace kube-system');
    expect(findings[0].message).toContain('inventory, pos');
  });

  it('APIs that are not served mean "not installed": plaintext, not unknown', async () => {
    const findings = await scan('store-bare');
    expect(findings.map(brief)).toEqual([
      ['warn', 'TransitPlaintext', 'namespace/inventory'],
      ['warn', 'TransitPlaintext', 'namespace/pos'],
    ]);
    const requests = fake.requests
      .filter((r) => r.cluster === 'store-bare')
      .map((r) => `${r.path} ${r.status}`);
    expect(requests).toEqual(
      expect.arrayContaining([
        '/api/v1/namespaces/kube-system/configmaps/cilium-config 404',
        '/apis/crd.projectcalico.org/v1/felixconfigurations/default 404',
        '/apis/security.istio.io/v1/peerauthentications 404',
      ]),
    );
  });

  it('lists only Running Pods, page by page, and keeps summaries, not Pod specs', async () => {
    fake.clearRequests();
    const cluster = clusterConfig('store-wg');
    const snapshot = await new KubeSnapshotCollector({ pageSize: 2 }).collect(cluster);
    const pods = snapshot.transit?.pods;
    if (!pods?.ok) throw new Error('pods not listed');
    expect(pods.items.map((p) => `${p.namespace}/${p.name}`)).toEqual([
      'inventory/inventory-web-1',
      'inventory/inventory-web-2',
      'kube-system/coredns-1',
      'pos/pos-web-1',
      'pos/pos-web-2',
    ]);
    expect(Object.keys(pods.items[0]).sort()).toEqual(['containers', 'labels', 'name', 'namespace']);
    const podRequests = fake.requests.filter((r) => r.cluster === 'store-wg' && r.path === '/api/v1/pods');
    expect(podRequests.length).toBe(3);
    expect(podRequests.every((r) => r.query.fieldSelector === 'status.phase=Running')).toBe(true);
    // The ConfigMap keeps only its encryption keys.
    const cm = snapshot.transit?.ciliumConfig;
    expect(cm?.ok && cm.value?.data).toEqual({ 'enable-wireguard': 'true', 'enable-ipsec': 'false' });
  });
});

describe('/dp status shows transit-encryption (shell → queue → fake cluster → update)', () => {
  let bot: Dpbot;
  let out = '';

  beforeAll(async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const config = buildConfig(
      {
        clusters: [
          { name: 'store-wg', kubeconfig, context: 'store-wg' },
          { name: 'store-istio', kubeconfig, context: 'store-istio' },
          { name: 'store-ingress', kubeconfig, context: 'store-ingress' },
          // Turned off: no transit line at all, although this cluster would warn.
          { name: 'store-bare', kubeconfig, context: 'store-bare', checks: { 'transit-encryption': 'off' } },
        ],
        redis: { prefix: uniquePrefix('transit') },
      },
      'test',
    );
    bot = await startDpbot({
      config,
      env: { REDIS_URL: redisUrl(), DPBOT_SHELL_USER: 'tester' },
      logger: createLogger('silent'),
      stdin,
      stdout,
    });
    stdin.end('/dp status all\n');
    await bot.shell!.finished;
  });

  afterAll(async () => {
    await bot?.stop();
  });

  it('reports each cluster with its reason, and nothing for a cluster that turned the check off', () => {
    const updated = out.split('(update of reply #1)')[1] ?? '';
    const block = (name: string) =>
      updated.split(/\n(?=\S+ store-)/).find((x) => x.includes(` ${name}: `)) ?? '';
    expect(block('store-wg')).toMatch(/ok\s+transit-encryption\s+TransitEncrypted/);
    expect(block('store-wg')).not.toMatch(/transit-encryption\s+(TransitPlaintext|MtlsPermissive)/);
    expect(block('store-istio')).toMatch(/warn\s+transit-encryption\s+MtlsPermissive .*pos\/default/);
    expect(block('store-ingress')).toMatch(
      /warn\s+transit-encryption\s+IngressWithoutTls .*api\.example\.com/,
    );
    expect(block('store-bare')).not.toBe('');
    expect(block('store-bare')).not.toMatch(/transit-encryption/);
  });
});
