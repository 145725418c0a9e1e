/**
 * Transit shapes of the demo clusters (transit-encryption): workload Pods in `pos` and `inventory`,
 * and what does or does not encrypt their traffic. Objects follow the real Istio/Calico CRDs.
 */
import { felixConfiguration, ingress, peerAuthentication, pod } from '../test/fakes/kube-api/builders.js';
import type { FakeKubeApi } from '../test/fakes/kube-api/fake-kube-api.js';

function workloadPods(kube: FakeKubeApi, cluster: string, sidecars: (ns: string) => string[]) {
  const c = kube.cluster(cluster);
  for (const ns of ['pos', 'inventory'])
    for (const i of [1, 2])
      c.put(pod(`${ns}-web-${i}`, { namespace: ns, labels: { app: `${ns}-web` }, sidecars: sidecars(ns) }));
  c.put(pod('coredns-5d78c9869d-abcde', { namespace: 'kube-system' }));
}

export const transitShapes = {
  /** Calico with WireGuard on every node, and the shop's Ingress on TLS: every namespace encrypted. */
  encrypted(kube: FakeKubeApi, cluster: string) {
    workloadPods(kube, cluster, () => []);
    kube.cluster(cluster).put(felixConfiguration({ wireguardEnabled: true }));
    kube
      .cluster(cluster)
      .put(
        ingress('shop', { namespace: 'pos', hosts: ['shop.example.com'], tlsHosts: ['shop.example.com'] }),
      );
  },
  /**
   * Istio sidecars in pos only, whose namespace policy is PERMISSIVE; inventory unmeshed; an Ingress
   * serving one host without TLS.
   */
  gaps(kube: FakeKubeApi, cluster: string) {
    workloadPods(kube, cluster, (ns) => (ns === 'pos' ? ['istio-proxy'] : []));
    const c = kube.cluster(cluster);
    c.put(peerAuthentication('default', { mode: 'STRICT' }));
    c.put(peerAuthentication('default', { namespace: 'pos', mode: 'PERMISSIVE' }));
    c.put(
      ingress('shop', {
        namespace: 'pos',
        hosts: ['shop.example.com', 'api.example.com'],
        tlsHosts: ['shop.example.com'],
      }),
    );
  },
};
