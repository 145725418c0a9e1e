/** The fake validates Istio and Calico objects against their real CRDs (test/fixtures/crds-extra) too. */
import * as b from '../../fakes/kube-api/builders.js';
import { CrdCatalog } from '../../fakes/kube-api/crd-catalog.js';
import { FakeCluster } from '../../fakes/kube-api/fake-cluster.js';
import { toJsPattern } from '../../fakes/kube-api/kube-schema.js';
import { ResourceRegistry } from '../../fakes/kube-api/resource-types.js';

const catalog = CrdCatalog.load();
const newCluster = () => new FakeCluster('store-042', new ResourceRegistry(catalog), catalog);

describe('fake kube-api: Istio and Calico CRDs', () => {
  it('loads them next to ../shared/fixtures/crds', () => {
    const pa = catalog.find('security.istio.io', 'peerauthentications');
    const felix = catalog.find('crd.projectcalico.org', 'felixconfigurations');
    expect(pa?.versions.map((v) => v.name)).toEqual(['v1', 'v1beta1']);
    expect(pa?.namespaced).toBe(true);
    expect(felix?.namespaced).toBe(false);
  });

  it('accepts valid objects', () => {
    const c = newCluster();
    c.put(b.peerAuthentication('default', { mode: 'STRICT' }));
    c.put(
      b.peerAuthentication('web', {
        namespace: 'pos',
        matchLabels: { app: 'web' },
        ports: { '8080': 'DISABLE' },
      }),
    );
    c.put(b.felixConfiguration({ wireguardEnabled: true, wireguardEnabledV6: false }));
    expect(c.list('peerauthentications')).toHaveLength(2);
  });

  it.each([
    [
      'a PeerAuthentication mode outside the enum',
      () => b.peerAuthentication('x', { mode: 'ON' }),
      'spec.mtls.mode',
    ],
    [
      'a misspelt PeerAuthentication field',
      () => ({ ...b.peerAuthentication('x'), spec: { mtl: { mode: 'STRICT' } } }),
      'spec.mtl: field not declared',
    ],
    [
      'wireguardEnabled as a string',
      () => b.felixConfiguration({ wireguardEnabled: 'true' }),
      'spec.wireguardEnabled: must be boolean',
    ],
    [
      'an invented Felix field',
      () => b.felixConfiguration({ wireGuardEnabled: true }),
      'spec.wireGuardEnabled: field not declared',
    ],
    [
      'a log level Go would refuse',
      () => b.felixConfiguration({ logSeverityScreen: 'Loud' }),
      'spec.logSeverityScreen',
    ],
  ])('rejects %s', (_what, build, message) => {
    expect(() => newCluster().put(build())).toThrow(message);
  });

  it('reads Go (?i) patterns case-insensitively, as the API server does', () => {
    const re = new RegExp(toJsPattern('^(?i)(Off|Info|Debug)?$'), 'u');
    expect(['info', 'INFO', 'Debug', ''].every((s) => re.test(s))).toBe(true);
    expect(re.test('Infos')).toBe(false);
    newCluster().put(b.felixConfiguration({ logSeverityScreen: 'debug' }));
  });
});
